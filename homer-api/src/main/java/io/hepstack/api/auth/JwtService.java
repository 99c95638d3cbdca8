package io.hepstack.api.auth;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.MACSigner;
import com.nimbusds.jose.crypto.MACVerifier;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import org.springframework.security.authentication.BadCredentialsException;
import org.springframework.security.authentication.CredentialsExpiredException;

import java.text.ParseException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Date;
import java.util.UUID;

/**
 * Issues and verifies the login JWTs: HS256 only (any other {@code alg}, {@code none} included, is
 * refused before the signature is looked at), issuer {@code hepstack}, subject the user name, an
 * expiry always required and enforced. Thread-safe.
 */
public final class JwtService {

    static final String ISSUER = "hepstack";
    /** Longer tokens are refused unparsed. */
    static final int MAX_TOKEN_CHARS = 4096;

    private final MACSigner signer;
    private final MACVerifier verifier;
    private final Duration ttl;
    private final Clock clock;

    public JwtService(JwtKey key, Duration ttl, Clock clock) {
        try {
            this.signer = new MACSigner(key.bytes());
            this.verifier = new MACVerifier(key.bytes());
        } catch (JOSEException e) {
            throw new IllegalArgumentException("unusable JWT key: " + e.getMessage(), e);
        }
        this.ttl = ttl;
        this.clock = clock;
    }

    /**
     * A token for {@code username}'s new session (a random id, the token's {@code jti}), valid for the
     * configured lifetime from now. The session must be stored ({@link AccountStore#openSession}) before the
     * token is handed out: a token whose session is not stored is refused.
     */
    public Issued issue(String username, Role role) {
        Instant now = clock.instant().truncatedTo(ChronoUnit.SECONDS);
        Instant expires = now.plus(ttl);
        UUID session = UUID.randomUUID();
        JWTClaimsSet claims = new JWTClaimsSet.Builder()
                .issuer(ISSUER)
                .subject(username)
                .claim("role", role.code())
                .issueTime(Date.from(now))
                .expirationTime(Date.from(expires))
                .jwtID(session.toString())
                .build();
        SignedJWT jwt = new SignedJWT(new JWSHeader.Builder(JWSAlgorithm.HS256).type(JOSEObjectType.JWT).build(), claims);
        try {
            jwt.sign(signer);
        } catch (JOSEException e) {
            throw new IllegalStateException("signing a JWT", e);
        }
        return new Issued(jwt.serialize(), expires, session);
    }

    /**
     * The user name a token was issued to, and its session.
     *
     * @throws BadCredentialsException     when it is malformed, not HS256, badly signed, not ours or names no session
     * @throws CredentialsExpiredException when it has expired
     */
    public Verified verify(String token) {
        if (token.length() > MAX_TOKEN_CHARS) {
            throw new BadCredentialsException("invalid bearer token");
        }
        SignedJWT jwt;
        JWTClaimsSet claims;
        try {
            jwt = SignedJWT.parse(token);
            claims = jwt.getJWTClaimsSet();
        } catch (ParseException | IllegalArgumentException e) {
            throw new BadCredentialsException("invalid bearer token");
        }
        if (!JWSAlgorithm.HS256.equals(jwt.getHeader().getAlgorithm())) {
            throw new BadCredentialsException("invalid bearer token");
        }
        try {
            if (!jwt.verify(verifier)) {
                throw new BadCredentialsException("invalid bearer token");
            }
        } catch (JOSEException e) {
            throw new BadCredentialsException("invalid bearer token");
        }
        Date exp = claims.getExpirationTime();
        if (!ISSUER.equals(claims.getIssuer()) || claims.getSubject() == null || exp == null) {
            throw new BadCredentialsException("invalid bearer token");
        }
        if (!clock.instant().isBefore(exp.toInstant())) {
            throw new CredentialsExpiredException("bearer token expired");
        }
        return new Verified(claims.getSubject(), session(claims.getJWTID()));
    }

    private static UUID session(String jti) {
        try {
            if (jti != null && jti.length() == 36) {
                return UUID.fromString(jti);
            }
        } catch (IllegalArgumentException e) {
            // refused below
        }
        throw new BadCredentialsException("invalid bearer token");
    }

    /** Whom a verified token names, and its session. */
    public record Verified(String username, UUID session) {
    }

    /** A signed token, when it expires, and the session it names. */
    public record Issued(String token, Instant expiresAt, UUID session) {
    }
}
