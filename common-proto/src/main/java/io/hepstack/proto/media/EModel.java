package io.hepstack.proto.media;

/**
 * The ITU-T G.107 (06/2015) E-model, narrowband: the transmission rating R from a connection's impairments,
 * and the MOS (conversational quality, estimated) it predicts. Every parameter a capture does not measure
 * keeps G.107's default (Table 2: SLR 8, RLR 2, STMR 15, LSTR 18, Ds = Dr = 3, TELR 65, WEPL 110, qdu 1,
 * Nc −70, Nfor −64, Ps = Pr = 35, A 0); what a capture does measure is given: the codec's equipment
 * impairment {@code Ie} and packet-loss robustness {@code Bpl} ({@link Codec}), the packet loss, its
 * burstiness, and the mouth-to-ear delay. With every default, R = 93.2 and MOS = 4.41.
 */
public final class EModel {

    private static final double SLR = 8;
    private static final double RLR = 2;
    private static final double STMR = 15;
    private static final double LSTR = 18;
    private static final double DS = 3;
    private static final double TELR = 65;
    private static final double WEPL = 110;
    private static final double QDU = 1;
    private static final double NC = -70;
    private static final double NFOR = -64;
    private static final double PS = 35;
    private static final double PR = 35;
    private static final double A = 0;
    /** Idd's delay threshold and sharpness (G.107 clause 7.4, defaults mT = 100 ms, sT = 1). */
    private static final double MT = 100;
    private static final double ST = 1;

    /** The basic signal-to-noise ratio with every default. */
    private static final double RO = ro();

    private EModel() {
    }

    /**
     * R for a codec under loss and delay.
     *
     * @param ie          equipment impairment of the codec ({@link Codec#ie()})
     * @param bpl         its packet-loss robustness ({@link Codec#bpl()})
     * @param lossPercent packets lost, 0-100 (Ppl)
     * @param burstR      burst ratio: 1 for random loss, above 1 for bursty loss
     * @param delayMs     mean one-way mouth-to-ear delay T, also taken as the absolute delay Ta, with the
     *                    round trip Tr = 2T
     */
    public static double rating(double ie, double bpl, double lossPercent, double burstR, double delayMs) {
        double ppl = Math.max(0, Math.min(100, lossPercent));
        double burst = Math.max(1, burstR);
        double ieEff = ie + (95 - ie) * ppl / (ppl / burst + bpl);
        double t = Math.max(0, delayMs);
        return RO - is(t) - id(t, t, 2 * t) - ieEff + A;
    }

    /** R for {@code codec} under random loss. */
    public static double rating(Codec codec, double lossPercent, double delayMs) {
        return rating(codec.ie(), codec.bpl(), lossPercent, 1, delayMs);
    }

    /** The MOS (1 to 4.5) that R predicts (G.107 Annex B). */
    public static double mos(double r) {
        if (r <= 0) {
            return 1;
        }
        if (r >= 100) {
            return 4.5;
        }
        return 1 + 0.035 * r + r * (r - 60) * (100 - r) * 7e-6;
    }

    /** The basic signal-to-noise ratio Ro (G.107 clause 7.2). */
    private static double ro() {
        return 15 - 1.5 * (SLR + no());
    }

    private static double no() {
        double nfo = NFOR + RLR;
        double pre = PR + 10 * Math.log10(1 + Math.pow(10, (10 - LSTR) / 10));
        double nor = RLR - 121 + pre + 0.008 * Math.pow(pre - 35, 2);
        double olr = SLR + RLR;
        double nos = PS - SLR - DS - 100 + 0.004 * Math.pow(PS - olr - DS - 14, 2);
        return 10 * Math.log10(Math.pow(10, NC / 10) + Math.pow(10, nos / 10) + Math.pow(10, nor / 10)
                + Math.pow(10, nfo / 10));
    }

    /** The simultaneous impairment Is = Iolr + Ist + Iq (G.107 clause 7.3) at a one-way delay of {@code t} ms. */
    static double is(double t) {
        double no = no();
        double olr = SLR + RLR;
        double xolr = olr + 0.2 * (64 + no - RLR);
        double iolr = 20 * (Math.pow(1 + Math.pow(xolr / 8, 8), 1.0 / 8) - xolr / 8);
        double stmro = -10 * Math.log10(Math.pow(10, -STMR / 10) + Math.exp(-t / 4) * Math.pow(10, -TELR / 10));
        double ist = 12 * Math.pow(1 + Math.pow((stmro - 13) / 6, 8), 1.0 / 8)
                - 28 * Math.pow(1 + Math.pow((stmro + 1) / 19.4, 35), 1.0 / 35)
                - 13 * Math.pow(1 + Math.pow((stmro - 3) / 33, 13), 1.0 / 13) + 29;
        double q = 37 - 15 * Math.log10(QDU);
        double g = 1.07 + 0.258 * q + 0.0602 * q * q;
        double y = (RO - 100) / 15 + 46 / 8.4 - g / 9;
        double z = 46 / 30.0 - g / 40;
        double iq = 15 * Math.log10(1 + Math.pow(10, y) + Math.pow(10, z));
        return iolr + ist + iq;
    }

    /** The delay impairment Id = Idte + Idle + Idd (G.107 clause 7.4). */
    static double id(double t, double ta, double tr) {
        double no = no();
        double roe = -1.5 * (no - RLR);
        double terv = TELR - 40 * Math.log10((1 + t / 10) / (1 + t / 150)) + 6 * Math.exp(-0.3 * t * t);
        double re = 80 + 2.5 * (terv - 14);
        double idte = ((roe - re) / 2 + Math.sqrt(Math.pow(roe - re, 2) / 4 + 100) - 1) * (1 - Math.exp(-t));
        double rle = 10.5 * (WEPL + 7) * Math.pow(tr + 1, -0.25);
        double idle = (RO - rle) / 2 + Math.sqrt(Math.pow(RO - rle, 2) / 4 + 169);
        double idd = 0;
        if (ta > MT) {
            double x = Math.log10(ta / MT) / Math.log10(2);
            idd = 25 * (Math.pow(1 + Math.pow(x, 6 * ST), 1 / (6 * ST))
                    - 3 * Math.pow(1 + Math.pow(x / 3, 6 * ST), 1 / (6 * ST)) + 2);
        }
        return idte + idle + idd;
    }
}
