package io.hepstack.api.query;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class NumberPlanTest {

    private static final NumberPlan GERMANY = new NumberPlan("49", "00", "0");

    @Test
    void aNumberInAnyOfItsFormsHasTheSameForms() {
        for (String form : new String[] {"+4930123456", "004930123456", "030123456"}) {
            assertThat(GERMANY.forms(form)).as(form)
                    .containsExactlyInAnyOrder("+4930123456", "004930123456", "4930123456", "030123456");
        }
    }

    @Test
    void anotherCountrysNumberHasOnlyItsInternationalForms() {
        assertThat(GERMANY.forms("+441234567")).containsExactly("+441234567", "00441234567", "441234567");
        assertThat(GERMANY.forms("00441234567")).containsExactly("00441234567", "+441234567", "441234567");
    }

    @Test
    void namesShortNumbersAndLocalNumbersAreOnlyThemselves() {
        assertThat(GERMANY.forms("alice")).containsExactly("alice");
        assertThat(GERMANY.forms("555")).containsExactly("555");
        assertThat(GERMANY.forms("30123456")).containsExactly("30123456"); // no prefix: not told from a local number
        assertThat(GERMANY.forms("+49")).containsExactly("+49"); // too short to be a number
        assertThat(GERMANY.forms("0")).containsExactly("0");
        assertThat(GERMANY.forms("+49 30 123")).containsExactly("+49 30 123");
    }

    @Test
    void withoutACountryCodeThereIsNoNationalForm() {
        assertThat(NumberPlan.NONE.forms("030123456")).containsExactly("030123456");
        assertThat(NumberPlan.NONE.forms("+4930123456")).containsExactly("+4930123456", "004930123456", "4930123456");
        assertThat(new NumberPlan("1", "011", "1").forms("+12125550100"))
                .containsExactly("+12125550100", "01112125550100", "12125550100"); // national: 1 and the number
    }

    @Test
    void codesAndPrefixesAreDigits() {
        assertThatThrownBy(() -> new NumberPlan("+49", "00", "0")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new NumberPlan("49", null, "0")).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void aPrefixOfInternationalDigitsHasAPatternPerWrittenForm() {
        assertThat(GERMANY.prefixPatterns("4930")).containsExactly("+4930*", "004930*", "030*");
        // another country, or a prefix no longer than the country code: no national form
        assertThat(GERMANY.prefixPatterns("4412")).containsExactly("+4412*", "004412*");
        assertThat(GERMANY.prefixPatterns("49")).containsExactly("+49*", "0049*");
        assertThat(NumberPlan.NONE.prefixPatterns("4930")).containsExactly("+4930*", "004930*");
        assertThat(new NumberPlan("1", "011", "1").prefixPatterns("1212")).containsExactly("+1212*", "0111212*", "1212*");
    }
}
