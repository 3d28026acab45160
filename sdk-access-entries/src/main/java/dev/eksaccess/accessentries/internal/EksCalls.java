package dev.eksaccess.accessentries.internal;

import dev.eksaccess.api.BackendException;
import dev.eksaccess.api.Deadline;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Function;
import org.jspecify.annotations.Nullable;
import software.amazon.awssdk.awscore.AwsRequest;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.regions.RegionMetadata;
import software.amazon.awssdk.services.eks.EksAsyncClient;
import software.amazon.awssdk.services.eks.EksClient;
import software.amazon.awssdk.services.eks.model.AccessEntry;
import software.amazon.awssdk.services.eks.model.AssociateAccessPolicyRequest;
import software.amazon.awssdk.services.eks.model.AssociatedAccessPolicy;
import software.amazon.awssdk.services.eks.model.CreateAccessEntryRequest;
import software.amazon.awssdk.services.eks.model.DeleteAccessEntryRequest;
import software.amazon.awssdk.services.eks.model.DescribeAccessEntryRequest;
import software.amazon.awssdk.services.eks.model.DisassociateAccessPolicyRequest;
import software.amazon.awssdk.services.eks.model.ListAccessEntriesRequest;
import software.amazon.awssdk.services.eks.model.ListAccessEntriesResponse;
import software.amazon.awssdk.services.eks.model.ListAccessPoliciesRequest;
import software.amazon.awssdk.services.eks.model.ListAccessPoliciesResponse;
import software.amazon.awssdk.services.eks.model.ListAssociatedAccessPoliciesRequest;
import software.amazon.awssdk.services.eks.model.ListAssociatedAccessPoliciesResponse;
import software.amazon.awssdk.services.eks.model.TagResourceRequest;
import software.amazon.awssdk.services.eks.model.UntagResourceRequest;
import software.amazon.awssdk.services.eks.model.UpdateAccessEntryRequest;

/**
 * The access entry calls the backend makes, for one cluster, over the sync or the async client.
 * Lists follow every page. The async client's calls are joined: the backend runs calls on its own
 * bounded pool either way, so both clients behave alike.
 */
public interface EksCalls {
  /** The cluster the calls are for. */
  String cluster();

  /** Every principal with an entry, all pages. */
  List<String> listEntries();

  /** One page of principals with an entry, and the token of the next (null on the last). */
  record Page(List<String> principals, @Nullable String next) {}

  /** One page of principals with an entry, from a token (null for the first). */
  Page listEntriesPage(@Nullable String token);

  /** Every principal whose entry has this policy associated, all pages. */
  List<String> listEntries(String associatedPolicyArn);

  /** The names of the region's access policies, all pages. */
  List<String> listPolicies();

  /** The partition of the client's region, such as {@code aws} or {@code aws-cn}. */
  String partition();

  /** One entry. */
  AccessEntry describe(String principalArn);

  /** Every policy associated with one entry, all pages. */
  List<AssociatedAccessPolicy> listAssociated(String principalArn);

  /** Creates an entry. */
  AccessEntry create(CreateAccessEntryRequest request);

  /** Updates an entry's groups or username. */
  AccessEntry update(UpdateAccessEntryRequest request);

  /** Deletes an entry and its associations. */
  void delete(String principalArn);

  /** Associates a policy, or changes its scope. */
  void associate(AssociateAccessPolicyRequest request);

  /** Removes one association. */
  void disassociate(String principalArn, String policyArn);

  /** Adds or replaces tags on a resource, such as an access entry's ARN. */
  void tag(String resourceArn, Map<String, String> tags);

  /** Removes tags from a resource. */
  void untag(String resourceArn, List<String> keys);

  /** The partition of a region, {@code aws} when the SDK does not know the region. */
  static String partitionOf(@Nullable Region region) {
    if (region == null) {
      return "aws";
    }
    RegionMetadata meta = region.metadata();
    return meta == null ? "aws" : meta.partition().id();
  }

  /**
   * The request with the time the current {@link Deadline} leaves as its {@code apiCallTimeout}
   * (retries included), so that no EKS call outlives the operation it serves.
   */
  @SuppressWarnings("unchecked")
  static <R extends AwsRequest> R bounded(R request, Optional<Duration> clientTimeout) {
    Optional<Deadline> deadline = Deadline.current();
    if (deadline.isEmpty()) {
      return request;
    }
    String what = request.getClass().getSimpleName().replace("Request", "");
    deadline.get().check("the EKS call " + what);
    Duration remaining = deadline.get().remaining();
    // the client's own, shorter apiCallTimeout stands: a request's value would override it
    Duration left = clientTimeout.filter(own -> own.compareTo(remaining) < 0).orElse(remaining);
    return (R) request.toBuilder().overrideConfiguration(o -> o.apiCallTimeout(left)).build();
  }

  private static DeleteAccessEntryRequest deleteRequest(String cluster, String principalArn) {
    return DeleteAccessEntryRequest.builder()
        .clusterName(cluster)
        .principalArn(principalArn)
        .build();
  }

  private static DisassociateAccessPolicyRequest disassociateRequest(
      String cluster, String principalArn, String policyArn) {
    return DisassociateAccessPolicyRequest.builder()
        .clusterName(cluster)
        .principalArn(principalArn)
        .policyArn(policyArn)
        .build();
  }

  private static TagResourceRequest tagRequest(String resourceArn, Map<String, String> tags) {
    return TagResourceRequest.builder().resourceArn(resourceArn).tags(tags).build();
  }

  private static UntagResourceRequest untagRequest(String resourceArn, List<String> keys) {
    return UntagResourceRequest.builder().resourceArn(resourceArn).tagKeys(keys).build();
  }

  /** Over the sync client. */
  static EksCalls of(EksClient eks, String cluster) {
    return new Calls(cluster, new Sync(eks));
  }

  /** Over the async client. */
  static EksCalls of(EksAsyncClient eks, String cluster) {
    return new Calls(cluster, new Async(eks));
  }

  /** The raw calls, each one HTTP request; {@link Calls} adds paging. */
  interface Raw {
    ListAccessEntriesResponse list(ListAccessEntriesRequest r);

    ListAccessPoliciesResponse listPolicies(ListAccessPoliciesRequest r);

    String partition();

    AccessEntry describe(String cluster, String principalArn);

    ListAssociatedAccessPoliciesResponse listAssociated(ListAssociatedAccessPoliciesRequest r);

    AccessEntry create(CreateAccessEntryRequest r);

    AccessEntry update(UpdateAccessEntryRequest r);

    void delete(String cluster, String principalArn);

    void associate(AssociateAccessPolicyRequest r);

    void disassociate(String cluster, String principalArn, String policyArn);

    void tag(String resourceArn, Map<String, String> tags);

    void untag(String resourceArn, List<String> keys);
  }

  /** Paging over raw calls. */
  record Calls(String cluster, Raw raw) implements EksCalls {
    @Override
    public List<String> listEntries() {
      return listEntries(null);
    }

    @Override
    public Page listEntriesPage(@Nullable String token) {
      ListAccessEntriesResponse page =
          raw.list(
              ListAccessEntriesRequest.builder()
                  .clusterName(cluster)
                  .maxResults(100)
                  .nextToken(token)
                  .build());
      return new Page(List.copyOf(page.accessEntries()), page.nextToken());
    }

    @Override
    public List<String> listEntries(@Nullable String associatedPolicyArn) {
      List<String> out = new ArrayList<>();
      String token = null;
      do {
        ListAccessEntriesResponse page =
            raw.list(
                ListAccessEntriesRequest.builder()
                    .clusterName(cluster)
                    .associatedPolicyArn(associatedPolicyArn)
                    .maxResults(100)
                    .nextToken(token)
                    .build());
        out.addAll(page.accessEntries());
        token = page.nextToken();
      } while (token != null);
      return out;
    }

    @Override
    public List<String> listPolicies() {
      List<String> out = new ArrayList<>();
      String token = null;
      do {
        ListAccessPoliciesResponse page =
            raw.listPolicies(
                ListAccessPoliciesRequest.builder().maxResults(100).nextToken(token).build());
        page.accessPolicies().forEach(p -> out.add(p.name()));
        token = page.nextToken();
      } while (token != null);
      return out;
    }

    @Override
    public String partition() {
      return raw.partition();
    }

    @Override
    public AccessEntry describe(String principalArn) {
      return raw.describe(cluster, principalArn);
    }

    @Override
    public List<AssociatedAccessPolicy> listAssociated(String principalArn) {
      List<AssociatedAccessPolicy> out = new ArrayList<>();
      String token = null;
      do {
        ListAssociatedAccessPoliciesResponse page =
            raw.listAssociated(
                ListAssociatedAccessPoliciesRequest.builder()
                    .clusterName(cluster)
                    .principalArn(principalArn)
                    .maxResults(100)
                    .nextToken(token)
                    .build());
        out.addAll(page.associatedAccessPolicies());
        token = page.nextToken();
      } while (token != null);
      return out;
    }

    @Override
    public AccessEntry create(CreateAccessEntryRequest request) {
      return raw.create(request);
    }

    @Override
    public AccessEntry update(UpdateAccessEntryRequest request) {
      return raw.update(request);
    }

    @Override
    public void delete(String principalArn) {
      raw.delete(cluster, principalArn);
    }

    @Override
    public void associate(AssociateAccessPolicyRequest request) {
      raw.associate(request);
    }

    @Override
    public void disassociate(String principalArn, String policyArn) {
      raw.disassociate(cluster, principalArn, policyArn);
    }

    @Override
    public void tag(String resourceArn, Map<String, String> tags) {
      raw.tag(resourceArn, tags);
    }

    @Override
    public void untag(String resourceArn, List<String> keys) {
      raw.untag(resourceArn, keys);
    }
  }

  /** One request per call over {@link EksClient}. */
  record Sync(EksClient eks) implements Raw {
    @Override
    public ListAccessEntriesResponse list(ListAccessEntriesRequest r) {
      return eks.listAccessEntries(capped(r));
    }

    @Override
    public ListAccessPoliciesResponse listPolicies(ListAccessPoliciesRequest r) {
      return eks.listAccessPolicies(capped(r));
    }

    @Override
    public String partition() {
      return partitionOf(eks.serviceClientConfiguration().region());
    }

    @Override
    public AccessEntry describe(String cluster, String principalArn) {
      return eks.describeAccessEntry(
              capped(
                  DescribeAccessEntryRequest.builder()
                      .clusterName(cluster)
                      .principalArn(principalArn)
                      .build()))
          .accessEntry();
    }

    @Override
    public ListAssociatedAccessPoliciesResponse listAssociated(
        ListAssociatedAccessPoliciesRequest r) {
      return eks.listAssociatedAccessPolicies(capped(r));
    }

    @Override
    public AccessEntry create(CreateAccessEntryRequest r) {
      return eks.createAccessEntry(capped(r)).accessEntry();
    }

    @Override
    public AccessEntry update(UpdateAccessEntryRequest r) {
      return eks.updateAccessEntry(capped(r)).accessEntry();
    }

    @Override
    public void delete(String cluster, String principalArn) {
      eks.deleteAccessEntry(capped(deleteRequest(cluster, principalArn)));
    }

    @Override
    public void associate(AssociateAccessPolicyRequest r) {
      eks.associateAccessPolicy(capped(r));
    }

    @Override
    public void disassociate(String cluster, String principalArn, String policyArn) {
      eks.disassociateAccessPolicy(capped(disassociateRequest(cluster, principalArn, policyArn)));
    }

    @Override
    public void tag(String resourceArn, Map<String, String> tags) {
      eks.tagResource(capped(tagRequest(resourceArn, tags)));
    }

    @Override
    public void untag(String resourceArn, List<String> keys) {
      eks.untagResource(capped(untagRequest(resourceArn, keys)));
    }

    private <R extends AwsRequest> R capped(R request) {
      return bounded(
          request, eks.serviceClientConfiguration().overrideConfiguration().apiCallTimeout());
    }
  }

  /** One request per call over {@link EksAsyncClient}, joined. */
  record Async(EksAsyncClient eks) implements Raw {
    @Override
    public ListAccessEntriesResponse list(ListAccessEntriesRequest r) {
      return join(eks.listAccessEntries(capped(r)), x -> x);
    }

    @Override
    public ListAccessPoliciesResponse listPolicies(ListAccessPoliciesRequest r) {
      return join(eks.listAccessPolicies(capped(r)), x -> x);
    }

    @Override
    public String partition() {
      return partitionOf(eks.serviceClientConfiguration().region());
    }

    @Override
    public AccessEntry describe(String cluster, String principalArn) {
      return join(
          eks.describeAccessEntry(
              capped(
                  DescribeAccessEntryRequest.builder()
                      .clusterName(cluster)
                      .principalArn(principalArn)
                      .build())),
          x -> x.accessEntry());
    }

    @Override
    public ListAssociatedAccessPoliciesResponse listAssociated(
        ListAssociatedAccessPoliciesRequest r) {
      return join(eks.listAssociatedAccessPolicies(capped(r)), x -> x);
    }

    @Override
    public AccessEntry create(CreateAccessEntryRequest r) {
      return join(eks.createAccessEntry(capped(r)), x -> x.accessEntry());
    }

    @Override
    public AccessEntry update(UpdateAccessEntryRequest r) {
      return join(eks.updateAccessEntry(capped(r)), x -> x.accessEntry());
    }

    @Override
    public void delete(String cluster, String principalArn) {
      join(eks.deleteAccessEntry(capped(deleteRequest(cluster, principalArn))), x -> x);
    }

    @Override
    public void associate(AssociateAccessPolicyRequest r) {
      join(eks.associateAccessPolicy(capped(r)), x -> x);
    }

    @Override
    public void disassociate(String cluster, String principalArn, String policyArn) {
      join(
          eks.disassociateAccessPolicy(
              capped(disassociateRequest(cluster, principalArn, policyArn))),
          x -> x);
    }

    @Override
    public void tag(String resourceArn, Map<String, String> tags) {
      join(eks.tagResource(capped(tagRequest(resourceArn, tags))), x -> x);
    }

    @Override
    public void untag(String resourceArn, List<String> keys) {
      join(eks.untagResource(capped(untagRequest(resourceArn, keys))), x -> x);
    }

    /**
     * Waits for the async call on the caller's thread only as long as the current deadline allows,
     * and interruptibly: an interrupt or the deadline cancels the call instead of leaving the
     * caller joined to it.
     */
    private static <T, R> R join(CompletableFuture<T> f, Function<T, R> then) {
      Optional<Deadline> deadline = Deadline.current();
      try {
        T value =
            deadline.isPresent()
                ? f.get(deadline.get().remaining().toNanos(), TimeUnit.NANOSECONDS)
                : f.get();
        return then.apply(value);
      } catch (ExecutionException | CompletionException e) {
        if (e.getCause() instanceof RuntimeException r) {
          throw r; // the client's own exception, as the sync client throws it
        }
        throw new CompletionException(e.getCause());
      } catch (InterruptedException e) {
        f.cancel(true);
        Thread.currentThread().interrupt();
        throw new BackendException(
            "interrupted while waiting for EKS; the call was cancelled and may or may not have"
                + " landed, so read before retrying. The interrupt is kept.",
            0,
            null,
            false,
            e);
      } catch (TimeoutException e) {
        f.cancel(true);
        throw deadline.orElseThrow().exceeded("the EKS call", e);
      }
    }

    private <R extends AwsRequest> R capped(R request) {
      return bounded(
          request, eks.serviceClientConfiguration().overrideConfiguration().apiCallTimeout());
    }
  }
}
