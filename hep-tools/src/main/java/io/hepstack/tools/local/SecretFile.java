package io.hepstack.tools.local;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.Optional;
import java.util.Set;

/**
 * A password kept in a file of the data folder that only its owner may read (mode 0600), one line.
 * Written whole or not at all (a 0600 temporary file forced to disk, then renamed over the old one),
 * so a crash never leaves a half-written password behind.
 */
final class SecretFile {

    static final Set<PosixFilePermission> OWNER_ONLY = PosixFilePermissions.fromString("rw-------");

    private static final SecureRandom RANDOM = new SecureRandom();
    /** No look-alikes (0/O, 1/l/I) and nothing SQL or a shell would quote. */
    private static final char[] ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz23456789".toCharArray();
    private static final int LENGTH = 24; // 24 of 57 symbols: 139 bits

    private SecretFile() {
    }

    /** A new random password. */
    static String generate() {
        char[] pw = new char[LENGTH];
        for (int i = 0; i < pw.length; i++) {
            pw[i] = ALPHABET[RANDOM.nextInt(ALPHABET.length)];
        }
        return new String(pw);
    }

    /** The password in {@code file}, or empty when there is no such file; a file others may read is made 0600 first. */
    static Optional<String> read(Path file) throws IOException {
        if (!Files.exists(file)) {
            return Optional.empty();
        }
        if (!Files.getPosixFilePermissions(file).equals(OWNER_ONLY)) {
            Files.setPosixFilePermissions(file, OWNER_ONLY);
        }
        String secret = Files.readString(file, StandardCharsets.UTF_8).strip();
        if (secret.isEmpty()) {
            throw new IOException(file + " is empty (expected: one line, the password)");
        }
        return Optional.of(secret);
    }

    /** The password in {@code file}; a new one written there when there is none. */
    static String readOrCreate(Path file) throws IOException {
        Optional<String> kept = read(file);
        if (kept.isPresent()) {
            return kept.get();
        }
        String secret = generate();
        write(file, secret);
        return secret;
    }

    /** Writes {@code secret} to {@code file} (mode 0600), replacing it whole, and forces it to disk. */
    static void write(Path file, String secret) throws IOException {
        Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
        Files.deleteIfExists(tmp);
        Files.createFile(tmp, PosixFilePermissions.asFileAttribute(OWNER_ONLY));
        try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.WRITE)) {
            ch.write(ByteBuffer.wrap((secret + "\n").getBytes(StandardCharsets.UTF_8)));
            ch.force(true);
        }
        Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        try (FileChannel dir = FileChannel.open(file.toAbsolutePath().getParent(), StandardOpenOption.READ)) {
            dir.force(true); // the rename itself
        }
    }
}
