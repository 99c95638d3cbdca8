package io.hepstack.tools;

import io.hepstack.tools.bench.ApiBenchCommand;
import io.hepstack.tools.bench.ProfileTopCommand;
import io.hepstack.tools.calls.CallsCommand;
import io.hepstack.tools.bench.BenchCommand;
import io.hepstack.tools.local.LocalCommand;
import io.hepstack.tools.replay.ReplayCommand;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * {@code hep-tools}: the suite's command line. {@code decode} prints the HEP packets of a capture as
 * JSON lines, {@code bench} generates load, {@code replay} sends a capture to a collector, {@code local} runs the suite,
 * {@code calls rebuild} records calls again from their stored messages.
 */
@Command(name = "hep-tools", mixinStandardHelpOptions = true, versionProvider = HepTools.Version.class,
        description = "HEP capture tools: decode captures, replay them, generate load, run the suite locally.",
        subcommands = {DecodeCommand.class, BenchCommand.class, ApiBenchCommand.class, ProfileTopCommand.class, ReplayCommand.class, LocalCommand.class,
                CallsCommand.class})
public final class HepTools {

    private HepTools() {
    }

    public static void main(String[] args) {
        System.exit(new CommandLine(new HepTools()).execute(args));
    }

    static final class Version implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            String v = HepTools.class.getPackage().getImplementationVersion();
            return new String[]{"hep-tools " + (v == null ? "dev" : v)};
        }
    }
}
