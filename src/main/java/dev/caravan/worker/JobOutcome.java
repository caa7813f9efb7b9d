package dev.caravan.worker;

import dev.caravan.contract.Json;
import org.apache.camel.Message;
import org.apache.camel.component.springrabbit.SpringRabbitMQConstants;

/** How a worker's reply should be read, carried in an AMQP header beside the JSON body. */
public enum JobOutcome {
    COMPLETED,
    DEAD_LETTERED;

    public static final String HEADER = "caravan-outcome";

    /** Makes the message this outcome's reply: the JSON body, this header, and nothing left of the request. */
    void reply(Message message, byte[] json) {
        message.removeHeaders("*");
        message.setHeader(SpringRabbitMQConstants.CONTENT_TYPE, Json.CONTENT_TYPE);
        message.setHeader(HEADER, name());
        message.setBody(json);
    }
}
