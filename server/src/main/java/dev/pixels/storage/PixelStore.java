package dev.pixels.storage;

import dev.pixels.canvas.PixelChange;
import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * The durable home of the pixel log and of canvas checkpoints.
 *
 * <p>The contract every implementation keeps, checked by {@code PixelStoreContract}:
 *
 * <ul>
 *   <li>{@link #append} is all or nothing, and once it returns the batch survives a crash of the
 *       process. Callers acknowledge pixels only after it returns.
 *   <li>{@link #replay} yields the logged changes after a seq in ascending seq order.
 *   <li>{@link #latestCheckpoint} returns the checkpoint with the highest seq.
 *   <li>{@link #history} returns the changes matching a {@link HistoryQuery}, highest seq first.
 * </ul>
 *
 * <p>Calls come from the batcher and checkpoint threads, never from an event loop, so an
 * implementation may block.
 */
public interface PixelStore extends AutoCloseable {

  /** Short name for logs, metrics and health output, e.g. {@code sqlite}. */
  String name();

  /** Durably appends one batch of changes, in seq order, in a single transaction. */
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
