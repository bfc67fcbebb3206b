package org.parley.audit;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/** The hash chain's arithmetic: SHA-256 over the predecessor's hash and every field of the entry. */
public final class AuditChain {

    public static final String GENESIS = "0".repeat(64);

    private AuditChain() {
    }

    public static String hash(AuditEntry e) {
        String material = String.join("\u001f",
                e.prevHash(),
                Long.toString(e.seq()),
                e.at().toString(),
                String.valueOf(e.actorId()),
                String.valueOf(e.actorRole()),
                e.action(),
                e.entityType(),
                String.valueOf(e.entityId()),
                e.metadata());
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(material.getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(digest);
        } catch (NoSuchAlgorithmException e1) {
            throw new IllegalStateException("SHA-256 is missing from this JVM", e1);
        }
    }

    /** Whether {@code e} follows an entry with {@code previousSeq}/{@code previousHash} and is itself unaltered. */
    public static boolean follows(AuditEntry e, long previousSeq, String previousHash) {
        return e.seq() == previousSeq + 1 && e.prevHash().equals(previousHash) && e.hash().equals(hash(e));
    }
}
