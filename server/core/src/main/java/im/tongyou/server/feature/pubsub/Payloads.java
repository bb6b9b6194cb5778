package im.tongyou.server.feature.pubsub;

import im.tongyou.api.privacy.Crypto;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.dom4j.DocumentException;
import org.dom4j.DocumentHelper;
import org.dom4j.Element;

/**
 * Item payloads at rest: the XML of an item's children, encrypted under one user's data key (the
 * PEP owner's, or the publisher's on {@code pubsub.<domain>}), so that erasing that user shreds it.
 */
final class Payloads {

    private final Crypto crypto;

    Payloads(Crypto crypto) {
        this.crypto = crypto;
    }

    /** The XML of a payload, as stored and as measured against the size limit. */
    static String xml(List<Element> payload) {
        StringBuilder sb = new StringBuilder();
        for (Element e : payload) {
            sb.append(e.createCopy().asXML());
        }
        return sb.toString();
    }

    /** Encrypts a payload; an empty one is stored as null. */
    byte[] seal(String keyUser, List<Element> payload) {
        return payload.isEmpty() ? null : crypto.encrypt(keyUser, xml(payload).getBytes(StandardCharsets.UTF_8));
    }

    /** The payload elements of a stored item; empty when it had none, or when its key was destroyed. */
    List<Element> open(PubSubStore.StoredItem item) {
        if (item.payload() == null) {
            return List.of();
        }
        try {
            String xml = new String(crypto.decrypt(item.keyUser(), item.payload()), StandardCharsets.UTF_8);
            Element root = DocumentHelper.parseText("<p>" + xml + "</p>").getRootElement();
            List<Element> elements = new ArrayList<>();
            for (Element e : root.elements()) {
                elements.add(e.createCopy());
            }
            return elements;
        } catch (Crypto.KeyDestroyedException e) {
            return List.of();
        } catch (DocumentException e) {
            throw new IllegalStateException("a stored payload is not XML", e);
        }
    }
}
