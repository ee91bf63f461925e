package dev.outpost.cloud.objects;

import java.io.IOException;
import java.util.Optional;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.ResponseBytes;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.core.checksums.RequestChecksumCalculation;
import software.amazon.awssdk.core.checksums.ResponseChecksumValidation;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.S3Configuration;
import software.amazon.awssdk.services.s3.model.GetObjectResponse;
import software.amazon.awssdk.services.s3.model.NoSuchKeyException;

/**
 * Objects in an S3-compatible bucket, through the AWS SDK with the JDK's URL connection (no Netty or Apache client
 * of its own). Checksums only where the protocol requires them, which S3-compatible stores other than AWS expect.
 */
public final class S3ObjectStore implements ObjectStore, AutoCloseable {
    private final S3Client s3;
    private final String bucket;

    public S3ObjectStore(S3Settings settings) {
        this.bucket = settings.bucket();
        this.s3 = S3Client.builder()
                .endpointOverride(settings.endpoint())
                .region(Region.of(settings.region()))
                .credentialsProvider(StaticCredentialsProvider.create(
                        AwsBasicCredentials.create(settings.accessKey(), settings.secretKey())))
                .serviceConfiguration(S3Configuration.builder().pathStyleAccessEnabled(settings.pathStyle()).build())
                .requestChecksumCalculation(RequestChecksumCalculation.WHEN_REQUIRED)
                .responseChecksumValidation(ResponseChecksumValidation.WHEN_REQUIRED)
                .httpClient(UrlConnectionHttpClient.create())
                .build();
    }

    @Override
    public void put(String key, byte[] bytes) throws IOException {
        String checked = ObjectStore.checkKey(key);
        try {
            s3.putObject(request -> request.bucket(bucket).key(checked).contentLength((long) bytes.length),
                    RequestBody.fromBytes(bytes));
        } catch (SdkException e) {
            throw new IOException("cannot store " + key + " in bucket " + bucket + ": " + e.getMessage(), e);
        }
    }

    @Override
    public Optional<byte[]> get(String key) throws IOException {
        String checked = ObjectStore.checkKey(key);
        try {
            ResponseBytes<GetObjectResponse> object = s3.getObjectAsBytes(request -> request.bucket(bucket).key(checked));
            return Optional.of(object.asByteArray());
        } catch (NoSuchKeyException e) {
            return Optional.empty();
        } catch (SdkException e) {
            throw new IOException("cannot read " + key + " from bucket " + bucket + ": " + e.getMessage(), e);
        }
    }

    /** One PUT of the file, streamed from disk (S3 takes up to 5 GiB in one PUT; a clip is at most a few hundred MiB). */
    @Override
    public void putFile(String key, java.nio.file.Path file) throws IOException {
        String checked = ObjectStore.checkKey(key);
        long length = java.nio.file.Files.size(file);
        try {
            s3.putObject(request -> request.bucket(bucket).key(checked).contentLength(length),
                    RequestBody.fromFile(file));
        } catch (SdkException e) {
            throw new IOException("cannot store " + key + " in bucket " + bucket + ": " + e.getMessage(), e);
        }
    }

    @Override
    public Optional<Long> size(String key) throws IOException {
        String checked = ObjectStore.checkKey(key);
        try {
            return Optional.of(s3.headObject(request -> request.bucket(bucket).key(checked)).contentLength());
        } catch (NoSuchKeyException e) {
            return Optional.empty();
        } catch (software.amazon.awssdk.services.s3.model.S3Exception e) {
            if (e.statusCode() == 404) {
                return Optional.empty();
            }
            throw new IOException("cannot look up " + key + " in bucket " + bucket + ": " + e.getMessage(), e);
        } catch (SdkException e) {
            throw new IOException("cannot look up " + key + " in bucket " + bucket + ": " + e.getMessage(), e);
        }
    }

    @Override
    public Optional<byte[]> read(String key, long offset, int length) throws IOException {
        String checked = ObjectStore.checkKey(key);
        if (length <= 0) {
            return size(key).map(size -> new byte[0]);
        }
        try {
            ResponseBytes<GetObjectResponse> object = s3.getObjectAsBytes(request -> request.bucket(bucket)
                    .key(checked).range("bytes=" + offset + "-" + (offset + length - 1)));
            return Optional.of(object.asByteArray());
        } catch (NoSuchKeyException e) {
            return Optional.empty();
        } catch (SdkException e) {
            throw new IOException("cannot read " + key + " from bucket " + bucket + ": " + e.getMessage(), e);
        }
    }

    @Override
    public void delete(String key) throws IOException {
        String checked = ObjectStore.checkKey(key);
        try {
            s3.deleteObject(request -> request.bucket(bucket).key(checked));
        } catch (SdkException e) {
            throw new IOException("cannot delete " + key + " from bucket " + bucket + ": " + e.getMessage(), e);
        }
    }

    @Override
    public void close() {
        s3.close();
    }
}
