package io.hepstack.proto.media;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/** The E-model against ITU-T G.107's published values and the shape of its curves. */
class EModelTest {

    @Test
    void everyDefaultGivesG107sReferenceRatingAndMos() {
        double r = EModel.rating(0, 25.1, 0, 1, 0);
        assertThat(r).isCloseTo(93.2, within(0.05)); // G.107 clause 7: "R = 93.2" with the default values
        assertThat(EModel.mos(r)).isCloseTo(4.41, within(0.005));
    }

    @ParameterizedTest(name = "R {0} gives MOS {1}")
    @CsvSource({"-5, 1.0", "0, 1.0", "50, 2.575", "60, 3.1", "70, 3.597", "80, 4.024", "90, 4.339", "100, 4.5", "120, 4.5"})
    void mosFollowsG107AnnexB(double r, double mos) {
        assertThat(EModel.mos(r)).isCloseTo(mos, within(0.001));
    }

    @Test
    void lossAtTheCodecsRobustnessHalvesWhatIsLeftOfItsQuality() {
        // Ie,eff = Ie + (95 - Ie) * Ppl / (Ppl / BurstR + Bpl): at Ppl = Bpl, random loss, half of 95 - Ie
        double clean = EModel.rating(Codec.G729, 0, 0);
        double lossy = EModel.rating(Codec.G729, Codec.G729.bpl(), 0);
        assertThat(clean - lossy).isCloseTo((95 - Codec.G729.ie()) / 2, within(1e-9));
        assertThat(EModel.rating(0, 25.1, 0, 1, 0) - clean).as("G.729A's equipment impairment").isCloseTo(11, within(1e-9));
    }

    @Test
    void burstyLossHurtsMoreThanRandomLoss() {
        assertThat(EModel.rating(0, 25.1, 5, 2, 0)).isLessThan(EModel.rating(0, 25.1, 5, 1, 0));
    }

    @ParameterizedTest(name = "G.711, {0} % random loss: MOS {1}")
    @CsvSource({"0, 4.409", "1, 4.328", "2, 4.235", "5, 3.923", "10, 3.411", "20, 2.631"})
    void g711UnderRandomLoss(double loss, double mos) {
        assertThat(EModel.mos(EModel.rating(Codec.PCMU, loss, 0))).isCloseTo(mos, within(0.01));
    }

    @Test
    void delayCostsLittleBelow100msAndMoreEachStepAbove() {
        double r0 = EModel.rating(Codec.PCMA, 0, 0);
        double previousLoss = 0;
        for (int delay = 150; delay <= 500; delay += 50) {
            double loss = r0 - EModel.rating(Codec.PCMA, 0, delay);
            assertThat(loss).as("impairment at %d ms", delay).isGreaterThan(previousLoss);
            previousLoss = loss;
        }
        assertThat(r0 - EModel.rating(Codec.PCMA, 0, 50)).isLessThan(2);
        // G.114: up to 150 ms one way most applications are not affected; by 400 ms R has fallen below 70
        assertThat(EModel.rating(Codec.PCMA, 0, 150)).isGreaterThan(85);
        assertThat(EModel.rating(Codec.PCMA, 0, 400)).isLessThan(75);
    }

    @Test
    void codecsBySdpName() {
        assertThat(Codec.of("pcmu", 8000)).isEqualTo(Codec.PCMU);
        assertThat(Codec.of("opus", 48000).clockRate()).isEqualTo(48000);
        assertThat(Codec.of("G722", 8000).fromG113()).isFalse();
        Codec unknown = Codec.of("SPEEX", 16000);
        assertThat(unknown.clockRate()).isEqualTo(16000);
        assertThat(unknown.ie()).isEqualTo(Codec.PCMU.ie());
    }
}
