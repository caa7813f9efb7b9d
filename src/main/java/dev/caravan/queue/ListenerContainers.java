package dev.caravan.queue;

import org.apache.camel.component.springrabbit.DefaultListenerContainerFactory;
import org.apache.camel.component.springrabbit.SpringRabbitMQEndpoint;
import org.springframework.amqp.rabbit.listener.AbstractMessageListenerContainer;

/**
 * Listener containers for the {@code spring-rabbitmq} consumers, as Camel's default factory makes them, less one
 * per-message cost. Camel wraps every listener in Spring Retry advice even when an endpoint turns Spring's retry off
 * ({@code maximumRetryAttempts=0}, as Caravan's routes do because Camel's error handler owns retries): each message
 * then goes through a JDK proxy, a reflective method call and a retry template that never retries, whose only
 * effect is that a failure is rejected without requeueing when {@code rejectAndDontRequeue} is on (its default).
 * Here such an endpoint gets no advice and the container's own setting with that same effect
 * ({@code defaultRequeueRejected = !rejectAndDontRequeue}). An endpoint that asks for Spring's retries keeps them.
 * Source: camel-spring-rabbitmq 4.17.0 {@code DefaultListenerContainerFactory}; spring-rabbit 3.2
 * {@code AbstractMessageListenerContainer.initializeProxy} and {@code RabbitUtils.shouldRequeue}.
 */
public final class ListenerContainers extends DefaultListenerContainerFactory {

    @Override
    public AbstractMessageListenerContainer createListenerContainer(SpringRabbitMQEndpoint endpoint) {
        AbstractMessageListenerContainer container = super.createListenerContainer(endpoint);
        if (endpoint.getRetry() == null && endpoint.getMaximumRetryAttempts() <= 0) {
            container.setAdviceChain();
            container.setDefaultRequeueRejected(!endpoint.isRejectAndDontRequeue());
        }
        return container;
    }
}
