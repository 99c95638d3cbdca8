package io.hepstack.proto.testing;

import org.springframework.boot.context.properties.bind.BindHandler;
import org.springframework.boot.context.properties.bind.Bindable;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.bind.handler.NoUnboundElementsBindHandler;
import org.springframework.boot.env.YamlPropertySourceLoader;
import org.springframework.core.env.MapPropertySource;
import org.springframework.core.env.PropertySource;
import org.springframework.core.env.StandardEnvironment;
import org.springframework.core.io.ByteArrayResource;
import org.springframework.core.io.ClassPathResource;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.reflect.RecordComponent;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The defaults a service's documentation states, checked against what the service binds, so that the docs and
 * the code cannot drift apart. A service's defaults are what Spring Boot binds from its own
 * {@code application.yml} (class path) and the {@code @DefaultValue}s of its properties record, with nothing
 * else configured.
 *
 * <p>Two forms of documentation are read: a fenced {@code yaml} block (every option with its default, as
 * docs/ingest.md has), and Markdown tables whose first header cell starts with "property" (a key column and a
 * default column, as docs/api.md and docs/ui.md have). In a table, only defaults written as code
 * ({@code `24h`}) are checked; words such as "unset" or "*(none)*" and placeholders ({@code ${ENV}}) are not.
 * A documented value is checked by binding it on top of the defaults: the properties record must come out
 * equal to the one bound without it, so {@code 24h} and {@code 1d} of a {@link java.time.Duration} compare as
 * the service reads them; a list is written {@code [a, b]}. Keys outside the record's prefix ({@code server.port}) are compared as the
 * environment resolves them.
 */
public final class DocumentedDefaults {

    /** One documented default: the full property key (list items as {@code key[0]}), its value, where it is written. */
    public record Setting(String key, String value, String where) {
    }

    private static final Pattern CODE = Pattern.compile("`([^`]*)`");
    private static final Pattern PREFIX = Pattern.compile("\\(`([a-z0-9.-]+)\\.\\*`\\)");

    private DocumentedDefaults() {
    }

    /** The settings of the fenced {@code yaml} blocks of {@code doc}, flattened as Spring Boot flattens YAML. */
    public static List<Setting> yamlBlocks(Path doc) {
        List<String> lines = read(doc);
        List<Setting> settings = new ArrayList<>();
        for (int i = 0; i < lines.size(); i++) {
            if (!lines.get(i).strip().equals("```yaml")) {
                continue;
            }
            int start = i + 1;
            StringBuilder block = new StringBuilder();
            for (i = start; i < lines.size() && !lines.get(i).strip().equals("```"); i++) {
                block.append(lines.get(i)).append('\n');
            }
            String where = doc.getFileName() + ", yaml block at line " + start;
            try {
                for (PropertySource<?> source : new YamlPropertySourceLoader().load(where,
                        new ByteArrayResource(block.toString().getBytes(StandardCharsets.UTF_8)))) {
                    Map<?, ?> map = (Map<?, ?>) source.getSource();
                    map.forEach((k, v) -> settings.add(new Setting(k.toString(), String.valueOf(v), where)));
                }
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return settings;
    }

    /**
     * The settings of the property tables of {@code doc}. A key without a known root ({@code homer.},
     * {@code server.}, {@code spring.}, {@code management.}) gets the prefix named in the table's header
     * ({@code property (`homer.api.import.*`)}) or else in the nearest heading above it.
     */
    public static List<Setting> tables(Path doc) {
        List<String> lines = read(doc);
        List<Setting> settings = new ArrayList<>();
        String headingPrefix = "";
        boolean inTable = false;
        String tablePrefix = null; // null: not a property table
        for (int n = 0; n < lines.size(); n++) {
            String line = lines.get(n).strip();
            if (!line.startsWith("|")) {
                inTable = false;
                if (line.startsWith("#")) {
                    Matcher m = PREFIX.matcher(line);
                    headingPrefix = m.find() ? m.group(1) + "." : "";
                }
                continue;
            }
            String[] cells = cells(line);
            if (!inTable) { // the header row
                inTable = true;
                boolean property = cells.length >= 2 && cells[0].toLowerCase().startsWith("property")
                        && cells[1].toLowerCase().startsWith("default");
                Matcher m = PREFIX.matcher(cells[0]);
                tablePrefix = !property ? null : m.find() ? m.group(1) + "." : headingPrefix;
                continue;
            }
            if (tablePrefix == null || cells.length < 2 || cells[0].startsWith("---")) {
                continue;
            }
            List<String> keys = codes(cells[0].replaceAll("\\(env [^)]*\\)", ""));
            List<String> values = codes(cells[1]);
            if (keys.isEmpty() || values.size() != keys.size()) {
                continue;  // a default in words ("unset", "*(none)*"): nothing to bind
            }
            for (int i = 0; i < keys.size(); i++) {
                String key = keys.get(i);
                String full = key.matches("(homer|server|spring|management)\\..*") ? key : tablePrefix + key;
                String value = values.get(i);
                if (value.startsWith("[") && value.endsWith("]")) {
                    value = value.substring(1, value.length() - 1); // a list as YAML writes it: bound from "a,b"
                }
                settings.add(new Setting(full, value, doc.getFileName() + ":" + (n + 1)));
            }
        }
        return settings;
    }

    /**
     * Checks every setting against the defaults of a service. {@code propertiesTypes} maps each properties
     * prefix of the service to its record ({@code homer.api} and {@code homer.api.import}, say); a key is bound
     * with the record of its longest prefix, and must be one the record binds. Returns the settings checked;
     * throws an {@link AssertionError} listing every one that differs.
     */
    public static List<Setting> check(List<Setting> documented, Map<String, Class<?>> propertiesTypes) {
        StandardEnvironment defaults = environment(Map.of());
        Map<String, Object> boundDefaults = new LinkedHashMap<>();
        propertiesTypes.forEach((prefix, type) -> boundDefaults.put(prefix, Binder.get(defaults).bindOrCreate(prefix, type)));
        Map<String, List<Setting>> byKey = new LinkedHashMap<>();
        for (Setting s : documented) {
            byKey.computeIfAbsent(s.key().replaceAll("\\[\\d+]$", ""), k -> new ArrayList<>()).add(s);
        }
        List<String> wrong = new ArrayList<>();
        List<Setting> checked = new ArrayList<>();
        byKey.forEach((key, settings) -> {
            Map<String, Object> values = new LinkedHashMap<>();
            settings.forEach(s -> values.put(s.key(), s.value()));
            String where = settings.get(0).where();
            String shown = settings.size() == 1 && settings.get(0).key().equals(key)
                    ? settings.get(0).value() : values.values().toString();
            String prefix = propertiesTypes.keySet().stream().filter(p -> key.startsWith(p + "."))
                    .max(java.util.Comparator.comparingInt(String::length)).orElse(null);
            if (prefix != null) {
                Class<?> type = propertiesTypes.get(prefix);
                Object withDoc;
                try {
                    withDoc = Binder.get(environment(values)).bindOrCreate(prefix, Bindable.of(type),
                            new NoUnboundElementsBindHandler(BindHandler.DEFAULT));
                } catch (RuntimeException e) {
                    Throwable cause = e;
                    while (cause.getCause() != null) {
                        cause = cause.getCause();
                    }
                    wrong.add(where + ": " + key + " = " + shown + " does not bind: " + cause.getMessage());
                    return;
                }
                String difference = difference(prefix, boundDefaults.get(prefix), withDoc);
                if (difference != null) {
                    wrong.add(where + ": " + key + " documented as " + shown + ", but the service binds " + difference);
                }
            } else {
                String actual = defaults.getProperty(key);
                if (!Objects.equals(actual, settings.get(0).value()) || settings.size() > 1) {
                    wrong.add(where + ": " + key + " documented as " + shown + ", but the service has " + actual);
                }
            }
            checked.addAll(settings);
        });
        if (!wrong.isEmpty()) {
            throw new AssertionError(wrong.size() + " documented default(s) differ from what the service binds:\n  "
                    + String.join("\n  ", wrong));
        }
        return checked;
    }

    private static StandardEnvironment environment(Map<String, Object> overrides) {
        StandardEnvironment env = new StandardEnvironment();
        ClassPathResource applicationYml = new ClassPathResource("application.yml");
        try {
            for (PropertySource<?> source : !applicationYml.exists() ? List.<PropertySource<?>>of()
                    : new YamlPropertySourceLoader().load("application.yml", applicationYml)) {
                env.getPropertySources().addLast(source);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        if (!overrides.isEmpty()) {
            env.getPropertySources().addFirst(new MapPropertySource("documented", overrides));
        }
        return env;
    }

    /** The first component path where two bound values differ, with both values, or null when equal. */
    static String difference(String path, Object expected, Object actual) {
        if (Objects.equals(expected, actual)) {
            return null;
        }
        if (expected != null && actual != null && expected.getClass().isRecord() && expected.getClass() == actual.getClass()) {
            for (RecordComponent c : expected.getClass().getRecordComponents()) {
                try {
                    String d = difference(path + "." + c.getName(), c.getAccessor().invoke(expected), c.getAccessor().invoke(actual));
                    if (d != null) {
                        return d;
                    }
                } catch (ReflectiveOperationException e) {
                    throw new IllegalStateException(e);
                }
            }
        }
        return path + " = " + expected + " by default (the documented value gives " + actual + ")";
    }

    private static List<String> codes(String cell) {
        List<String> codes = new ArrayList<>();
        Matcher m = CODE.matcher(cell);
        while (m.find()) {
            if (m.group(1).contains("${")) {
                return List.of();
            }
            codes.add(m.group(1));
        }
        return codes;
    }

    private static String[] cells(String row) {
        String inner = row.substring(1, row.endsWith("|") && row.length() > 1 ? row.length() - 1 : row.length());
        String[] cells = inner.split("(?<!\\\\)\\|");
        for (int i = 0; i < cells.length; i++) {
            cells[i] = cells[i].strip();
        }
        return cells;
    }

    private static List<String> read(Path doc) {
        try {
            return Files.readAllLines(doc);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
