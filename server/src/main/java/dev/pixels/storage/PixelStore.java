package dev.pixels.storage;

import dev.pixels.canvas.PixelChange;
import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * The durable home of the pixel log and of canvas checkpoints.
 *
 * <p>The contract every implementation keeps, checked by {@code PixelStoreContract} (and, for a
 * batch DynamoDB stored only in part, by {@code DynamoDbPartialAppendTest}):
 *
 * <ul>
 *   <li>{@link #append} commits the whole batch or throws. Once it returns, the batch survives a
 *       crash of the process and readers see all of it; callers acknowledge pixels only then. If it
 *       throws, the batch is not committed: {@link #replay} and {@link #history} return none of it.
 *       A store may have written part of it (DynamoDB writes 25 items per request), so the next
 *       append may start at the same seq, either repeating the batch (a retry, which completes
 *       it) or with other changes (a writer that reuses the seqs of a rejected batch, which
 *       replace it). With several writers sharing one log the failed part may become visible once
 *       another writer commits above it; see {@code DynamoDbPixelStore} and docs/storage.md.
 *   <li>{@link #replay} yields the logged changes after a seq in ascending seq order.
 *   <li>{@link #latestCheckpoint} returns the checkpoint with the highest seq.
 *   <li>{@link #history} returns the changes matching a {@link HistoryQuery}, highest seq first.
 *   <li>{@link #logAfter} returns one page of the committed log after a seq, lowest seq first.
 * </ul>
 *
 * <p>Calls come from the batcher, checkpoint and moderation threads, never from an event loop, so
 * an implementation may block. {@link #history} runs on the moderation thread beside appends, and
 * may scan much of the log: the durable stores serve it, and {@link #logAfter}, without making the
 * writer wait (the memory store, for tests and benchmarks, serialises all three).
 */
public interface PixelStore extends AutoCloseable {

  /** Short name for logs, metrics and health output, e.g. {@code sqlite}. */
  String name();

  /**
   * Durably appends one batch of changes in seq order and commits it as a whole.
   *
   * @throws StoreException if the batch was not committed (see the contract above for what a
   *     failed append may leave behind, invisibly)
   * @throws StoreBusyException if the store is throttling; the batch was not committed either
   */
  void append(List<PixelChange> batch);

  /** Calls {@code sink} with every logged change whose seq is above {@code afterSeq}, in order. */
  void replay(long afterSeq, Consumer<PixelChange> sink);

  /**
   * One page of the log for the audit trail and the repair tools: the changes matching {@code
   * query}, newest (highest seq) first, at most {@code query.limit()} of them. The next page is
   * {@code query.before(lastReturned.seq())}. See {@link HistoryQuery} for the query shapes an
   * implementation must serve from an index rather than a full scan.
   */
  List<PixelChange> history(HistoryQuery query);

  /**
   * One page of the log in seq order: the committed changes with a seq above {@code afterSeq},
   * lowest first, at most {@code limit} of them; the next page is {@code logAfter(lastReturned.seq(),
   * limit)}. Unlike {@link #replay} it holds nothing between pages, so a reader that pauses between
   * them (an export to a slow client) never delays an append.
   */
  List<PixelChange> logAfter(long afterSeq, int limit);

  /** The newest checkpoint, if any was saved. */
  Optional<Checkpoint> latestCheckpoint();

  /** Durably saves a checkpoint; older ones may be discarded. */
  void saveCheckpoint(Checkpoint checkpoint);

  /**
   * True if the store answers right now; cheap enough for a health probe. A store that knows its
   * last write failed answers false until a write succeeds again.
   */
  boolean isHealthy();

  @Override
  void close();
}
