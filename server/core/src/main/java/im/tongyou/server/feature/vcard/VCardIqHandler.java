package im.tongyou.server.feature.vcard;

import im.tongyou.api.StanzaErrorException;
import im.tongyou.server.feature.StoredXml;
import org.dom4j.Element;
import org.xmpp.packet.IQ;
import org.xmpp.packet.PacketError;

/**
 * vcard-temp (XEP-0054 §3): a user sets their own vCard, and reads their own or, within the
 * {@link ProfileAccess} rules, another user's.
 */
final class VCardIqHandler {

    private final VCardStore store;
    private final ProfileAccess access;
    private final int maxBytes;

    VCardIqHandler(VCardStore store, ProfileAccess access, int maxBytes) {
        this.store = store;
        this.access = access;
        this.maxBytes = maxBytes;
    }

    /** XEP-0054 §3.1: "If no vCard exists, the server MUST return ... an IQ-result containing an empty <vCard/>". */
    IQ getOwn(IQ request) {
        Element vcard = store.get(request.getFrom().getNode()).vcard();
        return reply(request, vcard == null ? VCardElement.empty() : vcard.createCopy());
    }

    /**
     * XEP-0054 §3.3: another user's vCard, as much of it as the requester may see. "If no vCard
     * exists or the user does not exist, the server MUST return a stanza error, which SHOULD
     * [be] service-unavailable or item-not-found": service-unavailable, which is also the answer
     * when the requester may not see it, so the three cannot be told apart.
     */
    IQ getOther(IQ request) throws StanzaErrorException {
        String owner = request.getTo().getNode();
        VCardStore.Entry entry = store.get(owner);
        ProfileAccess.View view = access.of(owner, request.getFrom(), entry.visibility());
        if (view == ProfileAccess.View.OWNER) {
            return getOwn(request);
        }
        if (entry.vcard() == null || view == ProfileAccess.View.NONE) {
            throw StanzaErrorException.serviceUnavailable();
        }
        return reply(request, view == ProfileAccess.View.CONTACT
                ? VCardElement.forContact(entry.vcard()) : VCardElement.forStranger(entry.vcard()));
    }

    /** XEP-0054 §3.2: the whole vCard is replaced ("there is no method for partial updates"). */
    IQ setOwn(IQ request) throws StanzaErrorException {
        Element vcard = request.getChildElement().createCopy();
        if (StoredXml.toBytes(vcard).length > maxBytes) {
            // Too big to keep: not-acceptable, as XEP-0060 §7.1.3.4 answers a payload that is too big.
            throw StanzaErrorException.notAcceptable("a vCard is limited to " + maxBytes + " bytes");
        }
        String photoHash;
        try {
            photoHash = VCardElement.photoHash(vcard);
        } catch (IllegalArgumentException e) {
            throw new StanzaErrorException(PacketError.Condition.bad_request, "the PHOTO's BINVAL is not Base64");
        }
        store.update(request.getFrom().getNode(), entry ->
                new VCardStore.Entry(vcard, photoHash, entry.visibility(), entry.gender()));
        return IQ.createResultIQ(request);
    }

    /**
     * XEP-0054 §3.2: "If a user attempts to perform an IQ set on another user's vCard (i.e., by
     * setting a 'to' address to a JID other than the sending user's bare JID), the server MUST
     * return a stanza error, which SHOULD be <forbidden/> or <not-allowed/>."
     */
    IQ setOther(IQ request) throws StanzaErrorException {
        throw StanzaErrorException.forbidden("a vCard can be changed by its owner only");
    }

    private static IQ reply(IQ request, Element vcard) {
        IQ reply = IQ.createResultIQ(request);
        reply.setChildElement(vcard);
        return reply;
    }
}
