package im.tongyou.server.feature.register;

import im.tongyou.api.AccountException;
import im.tongyou.api.Accounts;
import im.tongyou.api.Router;
import im.tongyou.api.StanzaErrorException;
import im.tongyou.server.account.AccountStore;
import im.tongyou.server.account.Usernames;
import org.dom4j.Element;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.xmpp.packet.IQ;
import org.xmpp.packet.PacketError;

/**
 * {@code jabber:iq:register} on an authenticated stream, for the user's own account only: the
 * registration on file (XEP-0077 §3.1, {@code <registered/>}), password change (§3.3) and
 * cancellation with {@code <remove/>} (§3.2), which erases every store of the account.
 */
final class OwnAccountIqHandler {

    private static final Logger log = LoggerFactory.getLogger(OwnAccountIqHandler.class);

    private final Accounts accounts;
    private final Router router;

    OwnAccountIqHandler(Accounts accounts, Router router) {
        this.accounts = accounts;
        this.router = router;
    }

    /** XEP-0077 §3.1: "the IQ result ... MUST contain an empty <registered/> element". */
    IQ registration(IQ request) {
        IQ reply = IQ.createResultIQ(request);
        Element query = reply.setChildElement("query", RegisterElement.IQ_REGISTER);
        query.addElement("registered");
        query.addElement("instructions").setText("You are registered. Send a new password to change it, "
                + "or <remove/> to cancel your account and erase its data.");
        query.addElement("username").setText(request.getFrom().getNode());
        query.addElement("password");
        return reply;
    }

    IQ change(IQ request) throws StanzaErrorException {
        Element query = request.getChildElement();
        String user = request.getFrom().getNode();
        if (query.element("remove") != null) {
            return remove(request, query, user);
        }
        if (query.element(org.dom4j.QName.get("x", RegisterElement.DATA)) != null) {
            throw StanzaErrorException.badRequest("change the password with the username and password elements");
        }
        String username = RegisterForms.legacy(query, RegisterForms.USERNAME);
        String password = RegisterForms.legacy(query, RegisterForms.PASSWORD);
        if (username == null || password == null) {
            // XEP-0077 §3.3: an empty password never replaces the password; the request is incomplete.
            throw StanzaErrorException.badRequest("send your username and the new password");
        }
        if (!isOwn(username, user)) {
            throw StanzaErrorException.forbidden("you can change only your own password");
        }
        if (password.length() < AccountStore.MIN_PASSWORD_LENGTH || password.isBlank()) {
            throw RegisterElement.Condition.WEAK_PASSWORD.error("the password must have at least "
                    + AccountStore.MIN_PASSWORD_LENGTH + " characters");
        }
        try {
            accounts.setPassword(user, password.toCharArray());
        } catch (AccountException e) {
            throw new StanzaErrorException(PacketError.Condition.not_acceptable, e.getMessage());
        }
        log.info("account {} changed its password in-band", user);
        return IQ.createResultIQ(request);
    }

    /**
     * XEP-0077 §3.2: the result goes out first, then the account is cancelled (注销, R-DSR-4): at
     * once its sessions end with a not-authorized stream error and logins are refused; every store
     * of personal data erases it (a resumable job finishes what a failure leaves), and the name is
     * never given out again.
     */
    private IQ remove(IQ request, Element query, String user) throws StanzaErrorException {
        if (query.elements().size() != 1) {
            throw StanzaErrorException.badRequest("<remove/> must be the only child of the query");
        }
        router.route(IQ.createResultIQ(request));
        if (accounts.cancel(user, im.tongyou.api.privacy.AuditLog.SELF)) {
            log.info("account {} cancelled in-band", user);
        }
        return null;
    }

    private static boolean isOwn(String username, String user) {
        String name = username.contains("@") ? username.substring(0, username.indexOf('@')) : username;
        try {
            return Usernames.prepare(name).equals(user);
        } catch (AccountException e) {
            return false;
        }
    }
}
