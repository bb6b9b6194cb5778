package im.tongyou.server.feature.upload;

import im.tongyou.api.DiscoIdentity;
import im.tongyou.api.StanzaErrorException;
import im.tongyou.server.feature.disco.ServiceInfo;
import im.tongyou.server.feature.upload.UploadStore.Slot;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Clock;
import java.util.HexFormat;
import java.util.function.Predicate;
import java.util.function.Supplier;
import org.dom4j.Element;
import org.xmpp.packet.IQ;
import org.xmpp.packet.JID;
import org.xmpp.packet.PacketError;

/**
 * The upload service's IQs (XEP-0363 §4, §5): service discovery with the size limit, and slot
 * requests from local users, answered with a PUT and a GET URL on the HTTPS listener. The slot id
 * is a 128-bit random capability: whoever holds the GET URL may fetch the file, as the XEP intends.
 */
final class UploadService {

    static final String NS = "urn:xmpp:http:upload:0";
    private static final SecureRandom RANDOM = new SecureRandom();

    private final String domain;
    private final UploadOptions options;
    private final Supplier<String> baseUrl;
    private final UploadStore store;
    private final Clock clock;
    private final Predicate<String> localUser;

    UploadService(String domain, UploadOptions options, Supplier<String> baseUrl, UploadStore store, Clock clock,
                  Predicate<String> localUser) {
        this.domain = domain;
        this.options = options;
        this.baseUrl = baseUrl;
        this.store = store;
        this.clock = clock;
        this.localUser = localUser;
    }

    /** Answers an IQ addressed to the service; others get service-unavailable. */
    IQ handle(IQ request) throws StanzaErrorException {
        Element child = request.getChildElement();
        if (request.getType() == IQ.Type.get && child != null && ServiceInfo.NS.equals(child.getNamespaceURI())) {
            return info(request);
        }
        if (request.getType() == IQ.Type.get && child != null && NS.equals(child.getNamespaceURI())
                && "request".equals(child.getName())) {
            return slot(request, child);
        }
        throw StanzaErrorException.serviceUnavailable();
    }

    private IQ info(IQ request) throws StanzaErrorException {
        IQ reply = ServiceInfo.reply(request, new DiscoIdentity("store", "file", "HTTP File Upload"), NS, ServiceInfo.NS);
        Element query = reply.getChildElement();
        // XEP-0363 §4: the limit is announced in a XEP-0128 form.
        Element form = query.addElement("x", "jabber:x:data").addAttribute("type", "result");
        form.addElement("field").addAttribute("var", "FORM_TYPE").addAttribute("type", "hidden")
                .addElement("value").setText(NS);
        form.addElement("field").addAttribute("var", "max-file-size").addElement("value")
                .setText(String.valueOf(options.maxFileBytes()));
        return reply;
    }

    private IQ slot(IQ request, Element ask) throws StanzaErrorException {
        JID from = request.getFrom();
        if (from == null || from.getNode() == null || !domain.equals(from.getDomain()) || !localUser.test(from.getNode())) {
            throw StanzaErrorException.forbidden("only users of this server may upload");
        }
        String filename = ask.attributeValue("filename", "").strip();
        long size;
        try {
            size = Long.parseLong(ask.attributeValue("size", ""));
        } catch (NumberFormatException e) {
            throw StanzaErrorException.badRequest("the request needs a size in bytes");
        }
        if (filename.isEmpty() || filename.length() > 255 || filename.contains("/") || filename.contains("\\")
                || size < 1) {
            throw StanzaErrorException.badRequest("the request needs a plain file name and a positive size");
        }
        if (size > options.maxFileBytes()) {
            // XEP-0363 §5: file-too-large, with the limit.
            Element tooLarge = org.dom4j.DocumentHelper.createElement(org.dom4j.QName.get("file-too-large", NS));
            tooLarge.addElement("max-file-size", NS).setText(String.valueOf(options.maxFileBytes()));
            throw new StanzaErrorException(PacketError.Condition.not_acceptable, PacketError.Type.modify,
                    "the file is larger than " + options.maxFileBytes() + " bytes", tooLarge);
        }
        if (store.usedBytes(from.getNode()) + size > options.quotaBytes()) {
            throw StanzaErrorException.resourceConstraint("the upload quota of the account is used up");
        }
        String contentType = ask.attributeValue("content-type", "application/octet-stream");
        if (contentType.length() > 255 || !contentType.matches("[\\w.+-]+/[\\w.+-]+(\\s*;.*)?")) {
            throw StanzaErrorException.badRequest("the content type is not a media type");
        }
        String base = baseUrl.get();
        if (base == null) {
            throw StanzaErrorException.serviceUnavailable(); // no HTTPS listener to upload to
        }
        byte[] id = new byte[16];
        RANDOM.nextBytes(id);
        String slot = HexFormat.of().formatHex(id);
        store.create(new Slot(slot, from.getNode(), filename, contentType, size, clock.instant(), null));
        String url = base + UploadHttp.PREFIX + slot + "/" + URLEncoder.encode(filename, StandardCharsets.UTF_8)
                .replace("+", "%20");
        IQ reply = IQ.createResultIQ(request);
        Element answer = reply.setChildElement("slot", NS);
        answer.addElement("put").addAttribute("url", url);
        answer.addElement("get").addAttribute("url", url);
        return reply;
    }
}
