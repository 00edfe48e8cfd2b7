package dev.pixels.realtime;

/**
 * Where the answer to a pixel goes: the painter's connection, as a pixel writer sees it. The socket
 * layer implements it, so that a writer ({@link PixelBatcher}, a cluster intake) knows no sockets.
 *
 * <p>Answers are delivered in groups rather than one task per pixel: {@link #lane()} names the
 * thread a reply must be sent on, and a writer answers all the pixels of one lane in a single task
 * handed to {@link #execute} of any of them ({@link Replies} does this). {@link #ack} and {@link
 * #reject} are called only from such a task, on the lane's thread.
 */
public interface PixelReply {

  /** The thread this reply is sent on; replies with the same lane may be sent by one task. */
  Object lane();

  /** Runs {@code task} on this reply's lane. Callable from any thread; never blocks. */
  void execute(Runnable task);

  /** Tells the painter that {@code request} is durable as {@code seq}. */
  void ack(PixelRequest request, long seq);

  /** Tells the painter that {@code request} was refused. */
  void reject(PixelRequest request, Verdict.Rejection rejection);
}
