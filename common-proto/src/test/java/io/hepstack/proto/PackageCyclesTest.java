package io.hepstack.proto;

import io.hepstack.proto.testing.PackageGraph;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

/** A package uses the packages below it, never one that uses it back (docs/architecture.md, "Packages"). */
class PackageCyclesTest {

    @Test
    void noPackageCycle() {
        assertThat(PackageGraph.cycles(PackageGraph.of(Path.of("target/classes")))).isEmpty();
    }
}
