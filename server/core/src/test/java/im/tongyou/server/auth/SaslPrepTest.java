package im.tongyou.server.auth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class SaslPrepTest {

    // RFC 4013 §3, Examples.

    @Test
    void softHyphenIsMappedToNothing() {
        assertThat(SaslPrep.prepareQuery("I\u00ADX")).isEqualTo("IX");
    }

    @Test
    void plainNamesAreUnchangedAndCaseIsPreserved() {
        assertThat(SaslPrep.prepareQuery("user")).isEqualTo("user");
        assertThat(SaslPrep.prepareQuery("USER")).isEqualTo("USER");
    }

    @Test
    void outputIsNfkc() {
        assertThat(SaslPrep.prepareQuery("\u00AA")).isEqualTo("a");
        assertThat(SaslPrep.prepareQuery("\u2168")).isEqualTo("IX");
    }

    @Test
    void controlCharactersAreProhibited() {
        assertThatThrownBy(() -> SaslPrep.prepareQuery("\u0007")).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void bidirectionalRulesAreChecked() {
        assertThatThrownBy(() -> SaslPrep.prepareQuery("\u0627\u0031")).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("bidirectional");
    }

    // Beyond the RFC's examples.

    @Test
    void rightToLeftStringsThatStartAndEndRightToLeftPass() {
        assertThat(SaslPrep.prepareQuery("\u0627\u0031\u0628")).isEqualTo("\u0627\u0031\u0628");
        assertThatThrownBy(() -> SaslPrep.prepareQuery("\u0627a\u0628")).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void nonAsciiSpacesBecomeSpaceAndAreThenAllowed() {
        assertThat(SaslPrep.prepareQuery("a\u00A0b\u3000c")).isEqualTo("a b c");
    }

    @Test
    void otherProhibitedCharacters() {
        for (String bad : new String[] {"a\u0085", "a\uE000", "a\uFDD0", "a\uD800", "a\uFFFD", "a\u2FF0",
                "a\u200E", "a\u202E", "a" + new String(Character.toChars(0xE0001)),
                "a" + new String(Character.toChars(0x1FFFF)), "a\u2028", "a\u007F"}) {
            assertThatThrownBy(() -> SaslPrep.prepareQuery(bad)).as(bad).isInstanceOf(IllegalArgumentException.class)
                    .hasMessageNotContaining(bad);
        }
    }

    @Test
    void unassignedCodePointsAreAllowedInQueriesButNotInStoredStrings() {
        String unassigned = "a\u0378";
        assertThat(SaslPrep.prepareQuery(unassigned)).isEqualTo(unassigned);
        assertThatThrownBy(() -> SaslPrep.prepareStored(unassigned)).isInstanceOf(IllegalArgumentException.class);
        assertThat(SaslPrep.prepareStored("Ünïcödé")).isEqualTo("Ünïcödé");
    }

    @Test
    void charArrayVariantMatchesTheStringVariant() {
        assertThat(SaslPrep.prepareQuery("pencil".toCharArray())).containsExactly("pencil".toCharArray());
        assertThat(SaslPrep.prepareQuery("I\u00ADX".toCharArray())).containsExactly('I', 'X');
        assertThat(SaslPrep.prepareQuery("\u2168".toCharArray())).containsExactly('I', 'X');
        assertThatThrownBy(() -> SaslPrep.prepareQuery("a\u0007".toCharArray()))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
