package io.hepstack.tools.local;

import java.io.IOException;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Properties;

/**
 * How to log in to the UI of a local run: the account {@code admin} that homer-api creates at its first
 * start when the database has no account (homer-api's {@code DatabaseBootstrap.ensureAdmin}), with the
 * password {@code HOMER_ADMIN_PASSWORD}. Unless the user set that variable, {@code hep-tools local}
 * generates the password itself, keeps it in {@code DATA/admin-password} (mode 0600) and hands it to
 * homer-api, so the summary can show it instead of homer-api's log burying it.
 *
 * @param forApi  the value of HOMER_ADMIN_PASSWORD to give homer-api, or {@code null} to give none
 * @param summary the summary's login line: user name and the password or where it is
 */
record AdminLogin(String forApi, String summary) {

    static final String USER = "admin";
    static final String PASSWORD_FILE = "admin-password";
    static final String ENV = "HOMER_ADMIN_PASSWORD";

    /**
     * Decides for the database at {@code jdbcUrl}: a new password (kept in {@code file}) when it has no
     * account yet, else where the first start's password is.
     */
    static AdminLogin decide(String jdbcUrl, String user, String password, Path file, String fromEnvironment)
            throws IOException, SQLException {
        if (fromEnvironment != null && !fromEnvironment.isEmpty()) {
            return new AdminLogin(null, USER + ", password from " + ENV + " (as at the account's first start)");
        }
        if (!hasAccounts(jdbcUrl, user, password)) {
            String pw = SecretFile.readOrCreate(file);
            return new AdminLogin(pw, USER + " / " + pw + "   (new account; the password is kept in " + file + ")");
        }
        if (SecretFile.read(file).isPresent()) {
            return new AdminLogin(null, USER + ", password in " + file + " (unless changed since in the UI)");
        }
        return new AdminLogin(null, USER + ", with the password of its first start (not kept by hepstack: "
                + "older versions printed it once in homer-api's log)");
    }

    private static boolean hasAccounts(String jdbcUrl, String user, String password) throws SQLException {
        Properties p = new Properties();
        p.setProperty("user", user);
        if (password != null && !password.isEmpty()) {
            p.setProperty("password", password);
        }
        try (Connection c = DriverManager.getConnection(jdbcUrl, p); Statement s = c.createStatement()) {
            try (ResultSet rs = s.executeQuery("SELECT to_regclass('homer_api.users') IS NOT NULL")) {
                rs.next();
                if (!rs.getBoolean(1)) {
                    return false; // homer-api has never started on this database
                }
            }
            try (ResultSet rs = s.executeQuery("SELECT EXISTS (SELECT 1 FROM homer_api.users)")) {
                rs.next();
                return rs.getBoolean(1);
            }
        }
    }
}
