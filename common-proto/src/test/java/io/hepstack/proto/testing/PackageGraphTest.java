package io.hepstack.proto.testing;

import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.util.Map;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

class PackageGraphTest {

    @Test
    void findsEachSetOfPackagesThatUseOneAnotherWithAPathAroundIt() {
        Map<String, Set<String>> graph = Map.of(
                "a", Set.of("b"), "b", Set.of("c"), "c", Set.of("a", "d"),
                "d", Set.of("e"), "e", Set.of("d"), "f", Set.of("a"));
        assertThat(PackageGraph.cycles(graph)).containsExactlyInAnyOrder(
                "a <-> b <-> c (a -> b -> c -> a)", "d <-> e (d -> e -> d)");
        assertThat(PackageGraph.cycles(Map.of("a", Set.of("b"), "b", Set.of()))).isEmpty();
    }

    @Test
    void readsTheModulesOwnPackagesFromItsClasses() {
        Map<String, Set<String>> graph = PackageGraph.of(Path.of("target/classes"));
        assertThat(graph).containsKeys("io.hepstack.proto.store", "io.hepstack.proto.model", "io.hepstack.proto.hep");
        assertThat(graph.get("io.hepstack.proto.store")).contains("io.hepstack.proto.model")
                .doesNotContain("io.hepstack.proto.store");
    }

    @Test
    void commonProtoHasNoPackageCycle() {
        assertThat(PackageGraph.cycles(PackageGraph.of(Path.of("target/classes")))).isEmpty();
    }
}
