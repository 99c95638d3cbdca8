package io.hepstack.proto.model;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.IOException;
import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;

class HepPayloadTypeTest {

    /** The numbers and names of HEP.md and the UI's table, and the kinds the collector has stored them as. */
    @ParameterizedTest(name = "{0} {1} is stored as {2}")
    @CsvSource(delimiter = '|', textBlock = """
            1   | SIP              | sip_other
            2   | XMPP             | other
            3   | SDP              | other
            4   | RTP              | other
            5   | RTCP             | qos
            6   | MGCP             | other
            7   | MEGACO/H.248     | other
            8   | M2UA             | other
            9   | M3UA             | other
            10  | IAX              | other
            11  | H.322            | other
            12  | H.321            | other
            13  | M2PA             | other
            34  | RTP agent report | qos
            35  | RTCP-XR report   | qos
            38  | horaclifix       | other
            50  | SIP (JSON)       | other
            53  | DNS              | other
            54  | ISUP             | other
            55  | RTSP             | other
            56  | Diameter         | other
            57  | GSM MAP          | other
            58  | RTCP (Pion)      | qos
            60  | CDR              | other
            100 | Log              | log
            """)
    void everyKnownNumberRoundTripsWithItsNameAndStoredKind(int number, String name, String kind) {
        HepPayloadType t = HepPayloadType.valueOf(number);
        assertThat(t.number()).isEqualTo(number);
        assertThat(t.name()).isEqualTo(name);
        assertThat(t.kind().code()).isEqualTo(kind);
        assertThat(t.isKnown()).isTrue();
        assertThat(HepPayloadType.known()).contains(t);
        assertThat(HepPayloadType.valueOf(t.number())).isSameAs(t);
    }

    @Test
    void theKnownTypesAreTheTwentyFiveOfTheTableInNumberOrder() {
        assertThat(HepPayloadType.known()).hasSize(25).isSorted()
                .extracting(HepPayloadType::number).doesNotHaveDuplicates();
        assertThat(HepPayloadType.known()).first().isSameAs(HepPayloadType.SIP);
        assertThat(HepPayloadType.known()).last().isSameAs(HepPayloadType.LOG);
    }

    @ParameterizedTest
    @ValueSource(ints = {0, 14, 32, 33, 36, 59, 99, 101, 255})
    void anUnknownByteIsKeptAsTypeNOfKindOther(int number) {
        HepPayloadType t = HepPayloadType.valueOf(number);
        assertThat(t.number()).isEqualTo(number);
        assertThat(t.name()).isEqualTo("type " + number);
        assertThat(t.kind()).isEqualTo(MessageKind.OTHER);
        assertThat(t.isKnown()).isFalse();
        assertThat(HepPayloadType.known()).doesNotContain(t);
        assertThat(HepPayloadType.valueOf(number)).as("one instance per byte").isSameAs(t);
    }

    @ParameterizedTest
    @ValueSource(ints = {-1, 256, 65_535, Integer.MIN_VALUE, Integer.MAX_VALUE})
    void aNumberNoChunkCanCarryIsUnknownNotAnError(int number) {
        HepPayloadType t = HepPayloadType.valueOf(number);
        assertThat(t.name()).isEqualTo("type " + number);
        assertThat(t.kind()).isEqualTo(MessageKind.OTHER);
        assertThat(t).isEqualTo(HepPayloadType.valueOf(number)).hasSameHashCodeAs(HepPayloadType.valueOf(number));
    }

    @Test
    void theExtractorClassifiesEveryByteAsTheRegistryDoes() {
        for (int n = 0; n <= HepPayloadType.MAX_NUMBER; n++) {
            assertThat(MessageExtractor.kindOf(n)).as("type %d", n).isEqualTo(HepPayloadType.valueOf(n).kind());
        }
        Map<String, String> qos = HepPayloadType.known().stream().filter(t -> t.kind() == MessageKind.QOS)
                .collect(Collectors.toMap(t -> String.valueOf(t.number()), HepPayloadType::name, (a, b) -> a, TreeMap::new));
        assertThat(qos).containsOnlyKeys("5", "34", "35", "58");
    }

    @Test
    void everyConstantIsAKnownType() throws IllegalAccessException {
        List<HepPayloadType> constants = new ArrayList<>();
        for (Field f : HepPayloadType.class.getFields()) {
            if (Modifier.isStatic(f.getModifiers()) && f.getType() == HepPayloadType.class) {
                constants.add((HepPayloadType) f.get(null));
            }
        }
        assertThat(HepPayloadType.known()).containsExactlyInAnyOrderElementsOf(constants);
    }

    /** docs/schema.md's table of kinds names every known non-SIP type under the kind it is stored as. */
    @Test
    void theSchemaDocumentListsEveryTypeUnderItsKind() throws IOException {
        Pattern row = Pattern.compile("^\\s*\\| `(qos|log|other)` \\| (.+) \\|$");
        Pattern item = Pattern.compile("^(\\d+) (.+)$");
        Map<Integer, String> documented = new TreeMap<>();
        for (String line : Files.readAllLines(Path.of("../docs/schema.md"))) {
            Matcher m = row.matcher(line);
            if (!m.matches()) {
                continue;
            }
            for (String entry : m.group(2).split(", ")) {
                Matcher i = item.matcher(entry.trim());
                if (i.matches()) {
                    assertThat(documented.put(Integer.parseInt(i.group(1)), i.group(2) + " | " + m.group(1)))
                            .as("type %s documented twice", i.group(1)).isNull();
                }
            }
        }
        Map<Integer, String> registry = new TreeMap<>();
        for (HepPayloadType t : HepPayloadType.known()) {
            if (!t.equals(HepPayloadType.SIP)) {
                registry.put(t.number(), t.name() + " | " + t.kind().code());
            }
        }
        assertThat(documented).isEqualTo(registry);
    }

    @Test
    void showsNameAndNumber() {
        assertThat(HepPayloadType.RTCP).hasToString("RTCP(5)");
        assertThat(HepPayloadType.valueOf(77)).hasToString("type 77");
    }
}
