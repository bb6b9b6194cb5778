package im.tongyou.testkit;

import java.util.List;
import org.jivesoftware.smack.packet.StandardExtensionElement;
import org.jivesoftware.smack.packet.XmlEnvironment;
import org.jivesoftware.smack.provider.ExtensionElementProvider;
import org.jivesoftware.smack.provider.ProviderManager;
import org.jivesoftware.smack.util.ParserUtils;
import org.jivesoftware.smack.xml.XmlPullParser;

/**
 * Smack providers for the error conditions of {@code urn:tongyou:register:0}, as a Tongyou client
 * built on Smack registers them. Without them Smack 4.5.0-beta5 parses unknown condition elements
 * with its StandardExtensionElementProvider, whose assertion on namespace prefixes fails under
 * {@code -ea} (as surefire runs tests) and kills the connection's reader thread.
 */
final class RegisterConditions {

    static final List<String> NAMES = List.of("missing-field", "invalid-phone", "invalid-birthday", "weak-password",
            "username-is-phone", "policy-not-accepted", "policy-outdated", "no-code", "code-mismatch", "code-expired",
            "code-used", "too-many-attempts", "rate-limited", "phone-taken", "sms-failed");

    private RegisterConditions() {
    }

    static void register() {
        for (String name : NAMES) {
            ProviderManager.addExtensionProvider(name, RawRegistration.NS, new ExtensionElementProvider<StandardExtensionElement>() {
                @Override
                public StandardExtensionElement parse(XmlPullParser parser, int depth, XmlEnvironment env) throws
                        java.io.IOException, org.jivesoftware.smack.xml.XmlPullParserException {
                    String element = parser.getName();
                    ParserUtils.forwardToEndTagOfDepth(parser, depth);
                    return StandardExtensionElement.builder(element, RawRegistration.NS).build();
                }
            });
        }
    }
}
