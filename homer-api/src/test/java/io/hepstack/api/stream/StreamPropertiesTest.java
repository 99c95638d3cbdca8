package io.hepstack.api.stream;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;

class StreamPropertiesTest {

    @ParameterizedTest(name = "max {0}, reserve {1}: {2} for others")
    @CsvSource({"50, 5, 45", "4, 1, 3", "5, 5, 1", "1, 5, 1", "10, 0, 10"})
    void theAdminReserveComesOffTheCapButNeverTakesItAll(int max, int reserve, int others) {
        StreamProperties p = new StreamProperties(max, 5, reserve, Duration.ofSeconds(1), 500, 2000, Duration.ofSeconds(30),
                20000, Duration.ofHours(1), Duration.ofSeconds(15));
        assertThat(p.maxStreamsForNonAdmins()).isEqualTo(others);
    }
}
