package dev.outpost.cloud.objects;

import java.net.URI;
import java.util.Objects;

/**
 * An S3-compatible object store (AWS S3, MinIO, Ceph RGW, Garage, ...): docs/configuration.md, "Object storage".
 *
 * @param endpoint  the store's URL ({@code https://s3.eu-west-1.amazonaws.com}, {@code http://minio:9000})
 * @param region    the region to sign for ({@code us-east-1} where the store does not care)
 * @param bucket    the bucket, which must exist
 * @param accessKey the access key id
 * @param secretKey the secret key (never logged)
 * @param pathStyle {@code https://host/bucket/key} rather than {@code https://bucket.host/key}: most self-hosted
 *                  stores want it
 */
public record S3Settings(URI endpoint, String region, String bucket, String accessKey, String secretKey,
                         boolean pathStyle) {
    public S3Settings {
        Objects.requireNonNull(endpoint, "endpoint");
        Objects.requireNonNull(region, "region");
        Objects.requireNonNull(accessKey, "accessKey");
        Objects.requireNonNull(secretKey, "secretKey");
        if (bucket == null || !bucket.matches("[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]")) {
            throw new IllegalArgumentException("s3-bucket: '" + bucket + "' is not an S3 bucket name (3-63 lowercase"
                    + " letters, digits, '.', '-')");
        }
        String scheme = endpoint.getScheme();
        if (!"https".equals(scheme) && !"http".equals(scheme)) {
            throw new IllegalArgumentException("s3-endpoint must be an http(s) URL, not " + endpoint);
        }
    }

    @Override
    public String toString() {
        return "S3Settings[endpoint=" + endpoint + ", region=" + region + ", bucket=" + bucket + ", accessKey="
                + accessKey + ", pathStyle=" + pathStyle + "]";
    }
}
