package im.tongyou.server.net.fuzz;

import java.io.StringReader;
import javax.xml.parsers.SAXParser;
import javax.xml.parsers.SAXParserFactory;
import org.xml.sax.InputSource;
import org.xml.sax.helpers.DefaultHandler;

/** Checks XML text with the JDK's parser, independent of the aalto parser the server reads with. */
final class WellFormed {

    private static final ThreadLocal<SAXParser> PARSER = ThreadLocal.withInitial(() -> {
        try {
            SAXParserFactory factory = SAXParserFactory.newInstance();
            factory.setNamespaceAware(true);
            factory.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
            return factory.newSAXParser();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    });

    private WellFormed() {
    }

    /** Fails unless {@code xml} is one well-formed, namespace-well-formed document. */
    static void assertDocument(String xml, String what) {
        SAXParser parser = PARSER.get();
        try {
            parser.reset();
            parser.parse(new InputSource(new StringReader(xml)), new DefaultHandler());
        } catch (Exception e) {
            throw new AssertionError(what + " is not well-formed XML (" + e.getMessage() + "): " + abbreviate(xml), e);
        }
    }

    /**
     * Fails unless what the server wrote on a client stream is well-formed: each stream it opened
     * (a header, then stanzas, perhaps a stream error and the closing tag) parses as a document,
     * closed here when the server has not closed it yet.
     */
    static void assertServerOutput(String output) {
        String marker = "<?xml version='1.0'?>";
        int at = output.indexOf(marker);
        if (at < 0) {
            if (!output.isEmpty()) {
                // stanzas on a stream whose header was written before this output was taken
                assertDocument("<stream:stream xmlns='jabber:client' xmlns:stream='http://etherx.jabber.org/streams'>"
                        + closed(output), "the server's output");
            }
            return;
        }
        if (at > 0) {
            assertServerOutput(output.substring(0, at));
        }
        while (at >= 0) {
            int next = output.indexOf(marker, at + marker.length());
            String stream = next < 0 ? output.substring(at) : output.substring(at, next);
            assertDocument(closed(stream), "a stream the server wrote");
            at = next;
        }
    }

    private static String closed(String stream) {
        return stream.endsWith("</stream:stream>") ? stream : stream + "</stream:stream>";
    }

    static String abbreviate(String s) {
        return s.length() <= 2000 ? s : s.substring(0, 2000) + "...";
    }
}
