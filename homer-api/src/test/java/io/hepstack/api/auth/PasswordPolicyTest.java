package io.hepstack.api.auth;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

import static org.assertj.core.api.Assertions.assertThat;

class PasswordPolicyTest {

    @ParameterizedTest(name = "\"{1}\" for {0}: {2}")
    @CsvSource(delimiter = '|', value = {
            "carol        | '            '    | must not be blank",
            "carol        | short              | must be 12 to 1024 characters",
            "carol        | aaaaaaaaaaaa       | too simple: one short pattern repeated",
            "carol        | abcabcabcabcab     | too simple: one short pattern repeated",
            "carol        | 12121212121212     | too simple: one short pattern repeated",
            "carol        | 123456789012       | too simple: a run of keys, letters or digits",
            "carol        | 987654321098       | too simple: a run of keys, letters or digits",
            "carol        | QWERTYUIOPAS       | too simple: a run of keys, letters or digits",
            "carol        | abcdefghijklmn     | too simple: a run of keys, letters or digits",
            "carol        | 1qaz2wsx3edc4rfv   | too simple: a run of keys, letters or digits",
            "carol.longname | Carol.LongName   | must not be the user name",
            "carol.longname | emangnol.lorac   | must not be the user name",
            "carol        | Password1234       | a commonly used password: choose another",
            "carol        | iloveyou1234       | a commonly used password: choose another",
    })
    void refusesWeakPasswordsSayingWhy(String username, String password, String problem) {
        assertThat(PasswordPolicy.problem(username, password)).isEqualTo(problem);
    }

    @ParameterizedTest
    @ValueSource(strings = {"carol-password-1", "correct horse battery staple", "Tr0ub4dor&3xyz", "aaaaaaaaaaab",
            "ünïcödé-pässwörd", "1234567890ab"})
    void acceptsPasswordsThatAreNoneOfThose(String password) {
        assertThat(PasswordPolicy.problem("carol", password)).isNull();
    }
}
