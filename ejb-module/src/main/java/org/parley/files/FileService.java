package org.parley.files;

import jakarta.ejb.Stateless;
import jakarta.ejb.TransactionAttribute;
import jakarta.ejb.TransactionAttributeType;
import jakarta.inject.Inject;
import org.apache.tika.Tika;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.parley.common.DomainException;
import org.parley.common.DomainException.FieldError;
import org.parley.common.Problems;
import org.parley.identity.Caller;
import org.parley.identity.Role;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.logging.Logger;

/**
 * Files: an upload streams to a temporary file (counted against {@code PARLEY_MAX_UPLOAD_MB}, hashed with SHA-256 on
 * the way), is typed from its bytes (Apache Tika's magic numbers, never the name or the declared type), goes to the
 * object store, and only then gets its metadata row; if the row cannot be written the object is deleted again. Reads
 * are authorised by purpose and owner; bytes are served by a redirect to a signed URL valid 5 minutes (S3 presigned,
 * or Parley's own HMAC-signed link for the folder store).
 */
@Stateless
public class FileService {

    private static final Logger LOG = Logger.getLogger(FileService.class.getName());
    public static final Set<String> PURPOSES = Set.of("TRAINING", "CERTIFICATE", "EXPERT_DOCUMENT", "REPORT", "TICKET_ATTACHMENT");
    private static final Set<String> DOCUMENTS = Set.of("application/pdf", "image/png", "image/jpeg");
    private static final Map<String, Set<String>> ALLOWED = Map.of("TRAINING", Set.of("application/pdf", "image/png", "image/jpeg", "video/mp4"),
            "CERTIFICATE", DOCUMENTS, "EXPERT_DOCUMENT", DOCUMENTS, "REPORT", DOCUMENTS, "TICKET_ATTACHMENT", DOCUMENTS);
    /** Who uploads a file of each purpose (certificates are made by Parley; admins may replace one). */
    private static final Map<String, Set<Role>> UPLOADERS = Map.of("TRAINING", Set.of(Role.ADMIN), "CERTIFICATE", Set.of(Role.ADMIN),
            "EXPERT_DOCUMENT", Set.of(Role.EXPERT, Role.ADMIN), "REPORT", Set.of(Role.EXPERT, Role.ADMIN),
            "TICKET_ATTACHMENT", Set.of(Role.USER, Role.EXPERT, Role.ADMIN));
    static final Duration LINK_LIFETIME = Duration.ofMinutes(5);
    private static final Tika TIKA = new Tika();

    @Inject
    private FileStorage storage;
    @Inject
    private FileRecords records;
    @Inject
    private Clock clock;
    @Inject
    @ConfigProperty(name = "parley.max-upload-mb", defaultValue = "20")
    long maxUploadMb;

    /** Where a download goes: a URL to redirect to. */
    public record Download(URI location) {
    }

    /** The bytes of a file behind a valid signed link. */
    public record Content(FileRecords.FileView file, InputStream bytes) {
    }

    /** Stores an upload of {@code caller}'s for {@code purpose}; see the class comment for the steps. No transaction spans the copy. */
    @TransactionAttribute(TransactionAttributeType.NOT_SUPPORTED)
    public FileRecords.FileView upload(Caller caller, String purpose, String name, InputStream in) {
        requirePurpose(purpose);
        Set<Role> uploaders = UPLOADERS.get(purpose);
        if (!uploaders.contains(caller.role())) {
            throw Problems.forbidden("a " + purpose + " file is uploaded by " + uploaders.stream().map(Enum::name).sorted().toList());
        }
        return store(caller.id(), purpose, name, in);
    }

    /** Stores a file Parley made itself (a certificate) for {@code owner}, through the same steps as an upload. */
    @TransactionAttribute(TransactionAttributeType.NOT_SUPPORTED)
    public FileRecords.FileView storeGenerated(UUID owner, String purpose, String name, byte[] bytes) {
        return store(owner, purpose, name, new java.io.ByteArrayInputStream(bytes));
    }

    private FileRecords.FileView store(UUID owner, String purpose, String name, InputStream in) {
        String fileName = name == null || name.isBlank() ? "file" : Path.of(name.strip()).getFileName().toString();
        if (fileName.length() > 255) {
            fileName = fileName.substring(fileName.length() - 255);
        }
        Path tmp = null;
        try {
            tmp = Files.createTempFile("parley-upload-", ".part");
            MessageDigest sha = MessageDigest.getInstance("SHA-256");
            long size = copyAtMost(in, tmp, maxUploadMb * 1024 * 1024, sha);
            String type;
            try (InputStream head = Files.newInputStream(tmp)) {
                type = TIKA.detect(head);
            }
            if (!ALLOWED.get(purpose).contains(type)) {
                throw new DomainException(415, "unsupported-file-type", "a " + purpose + " file must be one of "
                        + String.join(", ", ALLOWED.get(purpose).stream().sorted().toList()) + "; this one is " + type);
            }
            UUID id = UUID.randomUUID();
            String key = "files/" + id;
            storage.store().put(key, tmp, size, type);
            try {
                return records.insert(id, owner, purpose, fileName, type, size, HexFormat.of().formatHex(sha.digest()), key, now());
            } catch (RuntimeException e) {
                deleteQuietly(key);
                throw e;
            }
        } catch (IOException e) {
            throw new UncheckedIOException("the upload could not be stored", e);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        } finally {
            if (tmp != null) {
                try {
                    Files.deleteIfExists(tmp);
                } catch (IOException e) {
                    LOG.warning("a temporary upload was not deleted: " + tmp);
                }
            }
        }
    }

    /** Copies at most {@code max} bytes to {@code target}, hashing them; more is 413 (and nothing is kept). */
    private static long copyAtMost(InputStream in, Path target, long max, MessageDigest sha) throws IOException {
        byte[] buffer = new byte[64 * 1024];
        long total = 0;
        try (OutputStream out = Files.newOutputStream(target)) {
            for (int n; (n = in.read(buffer)) != -1; ) {
                total += n;
                if (total > max) {
                    throw new DomainException(413, "file-too-large", "files are limited to " + max / (1024 * 1024) + " MB");
                }
                sha.update(buffer, 0, n);
                out.write(buffer, 0, n);
            }
        }
        return total;
    }

    /** A file's metadata, if the caller may read it (else 404). */
    public FileRecords.FileView metadata(Caller caller, UUID id) {
        return readable(caller, id);
    }

    /**
     * Where the caller downloads a file: a presigned URL of the bucket, or Parley's own signed link under
     * {@code baseUrl}, valid {@link #LINK_LIFETIME}. A file whose object has gone missing loses its row (404).
     */
    public Download download(Caller caller, UUID id, String baseUrl) {
        FileRecords.FileView f = readable(caller, id);
        String key = records.objectKey(id);
        try {
            if (!storage.store().exists(key)) {
                LOG.warning("file " + id + " has no object under " + key + "; its row is removed");
                records.delete(id);
                throw Problems.notFound("file");
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        URI presigned = storage.store().presignedGet(key, LINK_LIFETIME, f.name(), f.contentType());
        if (presigned != null) {
            return new Download(presigned);
        }
        long expires = now().plus(LINK_LIFETIME).getEpochSecond();
        return new Download(URI.create(baseUrl + "files/" + id + "/signed?expires=" + expires + "&signature=" + storage.sign(id + ":" + expires)));
    }

    /** The bytes behind one of Parley's signed links: a wrong signature or a past expiry is 403, an unknown file 404. */
    public Content signed(UUID id, long expires, String signature) {
        String expected = storage.sign(id + ":" + expires);
        if (signature == null || !MessageDigest.isEqual(expected.getBytes(), signature.getBytes())) {
            throw new DomainException(403, "bad-signature", "the link's signature does not match");
        }
        if (now().getEpochSecond() > expires) {
            throw new DomainException(403, "link-expired", "the link has expired; ask for the file again");
        }
        FileRecords.FileView f = records.find(id);
        if (f == null) {
            throw Problems.notFound("file");
        }
        try {
            return new Content(f, storage.store().open(records.objectKey(id)));
        } catch (NoSuchFileException e) {
            throw Problems.notFound("file");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * Who reads a file: its owner and admins always; by purpose, every EXPERT a TRAINING file, the requester of a ticket
     * that carries a TICKET_ATTACHMENT, the user and the expert of an order that has a REPORT. Anyone else gets 404, as if
     * it did not exist.
     */
    private FileRecords.FileView readable(Caller caller, UUID id) {
        FileRecords.FileView f = records.find(id);
        if (f != null && (caller.isAdmin() || caller.id().equals(f.ownerId())
                || ("TRAINING".equals(f.purpose()) && caller.role() == Role.EXPERT)
                || ("TICKET_ATTACHMENT".equals(f.purpose()) && records.attachedToTicketOf(id, caller.id()))
                || ("REPORT".equals(f.purpose()) && records.reportOfOrderOf(id, caller.id())))) {
            return f;
        }
        throw Problems.notFound("file");
    }

    private static void requirePurpose(String purpose) {
        if (purpose == null || !PURPOSES.contains(purpose)) {
            throw Problems.badRequest("purpose is one of " + String.join(", ", PURPOSES.stream().sorted().toList()),
                    List.of(new FieldError("purpose", "one of " + String.join(", ", PURPOSES.stream().sorted().toList()))));
        }
    }

    private void deleteQuietly(String key) {
        try {
            storage.store().delete(key);
        } catch (IOException e) {
            LOG.warning("an object without a row could not be deleted: " + key + " (" + e.getMessage() + ")");
        }
    }

    private Instant now() {
        return clock.instant().truncatedTo(ChronoUnit.MILLIS);
    }
}
