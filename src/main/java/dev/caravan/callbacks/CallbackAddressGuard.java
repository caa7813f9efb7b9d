package dev.caravan.callbacks;

import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.UnknownHostException;
import java.util.Locale;

/**
 * Refuses callback URLs that would aim the service at its own network (server-side request forgery): anything but
 * http(s), and any host that resolves to a loopback, link-local, private (RFC 1918, RFC 4193 unique-local fc00::/7,
 * RFC 6598 shared 100.64/10), unspecified or multicast address. Checked when the job is submitted and again before
 * every POST, so a name that later resolves elsewhere is caught. {@code caravan.callbacks.allow-private=true} lifts
 * the address rule (development, or receivers on a private network).
 */
public final class CallbackAddressGuard {

    private final boolean allowPrivate;

    public CallbackAddressGuard(boolean allowPrivate) {
        this.allowPrivate = allowPrivate;
    }

    /**
     * @return the URL as a URI
     * @throws CallbackRefusedException naming why the URL may not be called
     */
    public URI check(String url) {
        URI uri;
        try {
            uri = new URI(url);
        } catch (URISyntaxException | NullPointerException e) {
            throw new CallbackRefusedException("callback.url is not a URL: " + url);
        }
        String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
        if (!scheme.equals("http") && !scheme.equals("https")) {
            throw new CallbackRefusedException("callback.url must be http or https, not '" + url + "'");
        }
        if (uri.getHost() == null || uri.getHost().isEmpty()) {
            throw new CallbackRefusedException("callback.url has no host: " + url);
        }
        if (allowPrivate) {
            return uri;
        }
        InetAddress[] addresses;
        try {
            addresses = InetAddress.getAllByName(uri.getHost());
        } catch (UnknownHostException e) {
            throw new CallbackRefusedException("callback.url's host '" + uri.getHost() + "' does not resolve");
        }
        for (InetAddress address : addresses) {
            if (isInternal(address)) {
                throw new CallbackRefusedException("callback.url's host '" + uri.getHost() + "' is " + address.getHostAddress()
                        + ", a loopback, link-local or private address (caravan.callbacks.allow-private is false)");
            }
        }
        return uri;
    }

    static boolean isInternal(InetAddress address) {
        if (address.isLoopbackAddress() || address.isLinkLocalAddress() || address.isSiteLocalAddress()
                || address.isAnyLocalAddress() || address.isMulticastAddress()) {
            return true;
        }
        byte[] bytes = address.getAddress();
        if (address instanceof Inet6Address) {
            return (bytes[0] & 0xfe) == 0xfc;
        }
        return (bytes[0] & 0xff) == 100 && (bytes[1] & 0xc0) == 64;
    }
}
