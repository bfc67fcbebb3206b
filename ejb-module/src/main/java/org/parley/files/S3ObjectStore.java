package org.parley.files;

import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.checksums.RequestChecksumCalculation;
import software.amazon.awssdk.core.checksums.ResponseChecksumValidation;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.S3Configuration;
import software.amazon.awssdk.services.s3.model.NoSuchBucketException;
import software.amazon.awssdk.services.s3.model.NoSuchKeyException;
import software.amazon.awssdk.services.s3.model.S3Exception;
import software.amazon.awssdk.services.s3.presigner.S3Presigner;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;

/**
 * Objects in an S3-compatible bucket through the AWS SDK for Java v2 (path-style addressing, so MinIO, s3proxy and
 * other S3 servers work as AWS does); uploads stream from the local file, downloads are presigned GETs. The bucket is
 * created at start if it does not exist.
 */
public class S3ObjectStore implements ObjectStore {

    private final S3Client s3;
    private final S3Presigner presigner;
    private final String bucket;
    private final String endpoint;

    public S3ObjectStore(String endpoint, String region, String bucket, String accessKey, String secretKey) {
        StaticCredentialsProvider credentials = StaticCredentialsProvider.create(AwsBasicCredentials.create(accessKey, secretKey));
        // Path-style addressing, and plain signed payloads: checksums only where S3 requires them and no aws-chunked
        // uploads (the SDK's newer defaults), which S3-compatible servers do not all speak.
        S3Configuration pathStyle = S3Configuration.builder().pathStyleAccessEnabled(true).chunkedEncodingEnabled(false).build();
        var client = S3Client.builder().region(Region.of(region)).credentialsProvider(credentials).serviceConfiguration(pathStyle)
                .requestChecksumCalculation(RequestChecksumCalculation.WHEN_REQUIRED)
                .responseChecksumValidation(ResponseChecksumValidation.WHEN_REQUIRED)
                .httpClientBuilder(UrlConnectionHttpClient.builder());
        var signer = S3Presigner.builder().region(Region.of(region)).credentialsProvider(credentials).serviceConfiguration(pathStyle);
        if (endpoint != null && !endpoint.isBlank()) {
            client.endpointOverride(URI.create(endpoint));
            signer.endpointOverride(URI.create(endpoint));
        }
        this.s3 = client.build();
        this.presigner = signer.build();
        this.bucket = bucket;
        this.endpoint = endpoint == null || endpoint.isBlank() ? "AWS " + region : endpoint;
    }

    /** Creates the bucket if it is missing. */
    public void ensureBucket() {
        try {
            s3.headBucket(b -> b.bucket(bucket));
        } catch (NoSuchBucketException e) {
            s3.createBucket(b -> b.bucket(bucket));
        } catch (S3Exception e) {
            if (e.statusCode() != 404) {
                throw e;
            }
            s3.createBucket(b -> b.bucket(bucket));
        }
    }

    @Override
    public void put(String key, Path source, long size, String contentType) throws IOException {
        try {
            s3.putObject(b -> b.bucket(bucket).key(key).contentType(contentType).contentLength(size), RequestBody.fromFile(source));
        } catch (RuntimeException e) {
            throw new IOException("S3 put of " + key + " failed: " + e.getMessage(), e);
        }
    }

    @Override
    public InputStream open(String key) throws IOException {
        try {
            return s3.getObject(b -> b.bucket(bucket).key(key));
        } catch (NoSuchKeyException e) {
            throw new NoSuchFileException(key);
        } catch (RuntimeException e) {
            throw new IOException("S3 get of " + key + " failed: " + e.getMessage(), e);
        }
    }

    @Override
    public boolean exists(String key) throws IOException {
        try {
            s3.headObject(b -> b.bucket(bucket).key(key));
            return true;
        } catch (NoSuchKeyException e) {
            return false;
        } catch (S3Exception e) {
            if (e.statusCode() == 404) {
                return false;
            }
            throw new IOException("S3 head of " + key + " failed: " + e.getMessage(), e);
        }
    }

    @Override
    public void delete(String key) throws IOException {
        try {
            s3.deleteObject(b -> b.bucket(bucket).key(key));
        } catch (RuntimeException e) {
            throw new IOException("S3 delete of " + key + " failed: " + e.getMessage(), e);
        }
    }

    @Override
    public URI presignedGet(String key, Duration ttl, String fileName, String contentType) {
        return URI.create(presigner.presignGetObject(p -> p.signatureDuration(ttl).getObjectRequest(g -> g.bucket(bucket).key(key)
                .responseContentType(contentType).responseContentDisposition("inline; filename=\"" + fileName.replace("\"", "") + "\"")))
                .url().toString());
    }

    @Override
    public String describe() {
        return "S3 bucket " + bucket + " at " + endpoint;
    }
}
