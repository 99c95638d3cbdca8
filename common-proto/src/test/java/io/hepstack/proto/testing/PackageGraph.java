package io.hepstack.proto.testing;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.spi.ToolProvider;

/**
 * The package dependency graph of a module's compiled classes, as the JDK's {@code jdeps} reads it,
 * and its cycles. Each module's {@code PackageCyclesTest} asserts there are none: a package may use
 * the packages below it, never one that uses it back (docs/architecture.md, "Packages").
 */
public final class PackageGraph {

    /** A jdeps -verbose:package line: {@code   from   -> to   location}. */
    private static final Pattern EDGE = Pattern.compile("^\\s+(\\S+)\\s+->\\s+(\\S+)\\s");

    private PackageGraph() {
    }

    /**
     * Package to the packages it uses, among {@code io.hepstack} packages whose classes are under
     * {@code classes} (a module's {@code target/classes}); a package's use of itself is left out.
     */
    public static Map<String, Set<String>> of(Path classes) {
        if (!Files.isDirectory(classes)) {
            throw new IllegalArgumentException(classes + " is not a directory of compiled classes");
        }
        ToolProvider jdeps = ToolProvider.findFirst("jdeps")
                .orElseThrow(() -> new IllegalStateException("jdeps is not in this JDK"));
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int exit = jdeps.run(new PrintWriter(out), new PrintWriter(err), "-verbose:package", "-filter:none",
                "-e", "io\\.hepstack\\..*", classes.toString());
        if (exit != 0) {
            throw new IllegalStateException("jdeps exited with " + exit + ": " + err);
        }
        Map<String, Set<String>> graph = new TreeMap<>();
        for (String line : out.toString().split("\n")) {
            Matcher m = EDGE.matcher(line);
            if (m.find()) {
                Set<String> uses = graph.computeIfAbsent(m.group(1), p -> new TreeSet<>());
                if (!m.group(1).equals(m.group(2))) {
                    uses.add(m.group(2));
                }
            }
        }
        graph.values().forEach(uses -> uses.retainAll(graph.keySet()));
        return graph;
    }

    /**
     * The cycles of {@code graph}: each set of packages that reach one another (a strongly connected
     * component of more than one package, Tarjan's algorithm), sorted, with one path around it.
     */
    public static List<String> cycles(Map<String, Set<String>> graph) {
        Tarjan t = new Tarjan(graph);
        graph.keySet().forEach(t::visit);
        List<String> found = new ArrayList<>();
        for (Set<String> component : t.components) {
            if (component.size() > 1) {
                found.add(String.join(" <-> ", component) + " (" + path(graph, component) + ")");
            }
        }
        return found;
    }

    /** One cycle inside {@code component}, from its first package: {@code a -> b -> a}. */
    private static String path(Map<String, Set<String>> graph, Set<String> component) {
        String start = component.iterator().next();
        Map<String, String> parent = new HashMap<>();
        Deque<String> queue = new ArrayDeque<>(List.of(start));
        while (!queue.isEmpty()) {
            String p = queue.poll();
            for (String q : graph.getOrDefault(p, Set.of())) {
                if (q.equals(start)) {
                    List<String> way = new ArrayList<>(List.of(start));
                    for (String x = p; !x.equals(start); x = parent.get(x)) {
                        way.add(1, x);
                    }
                    way.add(start);
                    return String.join(" -> ", way);
                }
                if (component.contains(q) && !parent.containsKey(q)) {
                    parent.put(q, p);
                    queue.add(q);
                }
            }
        }
        return start;
    }

    private static final class Tarjan {
        final Map<String, Set<String>> graph;
        final Map<String, Integer> index = new HashMap<>();
        final Map<String, Integer> low = new HashMap<>();
        final Deque<String> stack = new ArrayDeque<>();
        final Set<String> onStack = new TreeSet<>();
        final List<Set<String>> components = new ArrayList<>();

        Tarjan(Map<String, Set<String>> graph) {
            this.graph = graph;
        }

        void visit(String v) {
            if (index.containsKey(v)) {
                return;
            }
            index.put(v, index.size());
            low.put(v, index.get(v));
            stack.push(v);
            onStack.add(v);
            for (String w : graph.getOrDefault(v, Set.of())) {
                if (!index.containsKey(w)) {
                    visit(w);
                    low.put(v, Math.min(low.get(v), low.get(w)));
                } else if (onStack.contains(w)) {
                    low.put(v, Math.min(low.get(v), index.get(w)));
                }
            }
            if (low.get(v).equals(index.get(v))) {
                Set<String> component = new TreeSet<>();
                String w;
                do {
                    w = stack.pop();
                    onStack.remove(w);
                    component.add(w);
                } while (!w.equals(v));
                components.add(component);
            }
        }
    }
}
