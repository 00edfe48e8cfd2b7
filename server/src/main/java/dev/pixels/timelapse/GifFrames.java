package dev.pixels.timelapse;

import dev.pixels.canvas.Palette;
import dev.pixels.canvas.Region;
import java.awt.image.BufferedImage;
import java.awt.image.IndexColorModel;
import java.io.IOException;
import java.io.OutputStream;
import java.util.Iterator;
import javax.imageio.IIOImage;
import javax.imageio.ImageIO;
import javax.imageio.ImageTypeSpecifier;
import javax.imageio.ImageWriter;
import javax.imageio.metadata.IIOMetadata;
import javax.imageio.metadata.IIOMetadataNode;
import javax.imageio.stream.ImageOutputStream;
import javax.imageio.stream.MemoryCacheImageOutputStream;

/**
 * An animated GIF, written with the JDK's ImageIO GIF writer. The palette has at most 256 colours,
 * so every frame is indexed with the palette's own colour table and nothing is quantised.
 *
 * <p>The first frame is the whole region; each later one is only the rectangle that changed since
 * the frame before, drawn over it (disposal "do not dispose"), and when the palette leaves a spare
 * colour index, the pixels of that rectangle that did not change are transparent: runs of one
 * index, which LZW packs into a few codes, so a frame costs about what changed, not its area. A
 * frame in which nothing changed is one pixel that only adds its delay. The animation loops
 * forever.
 *
 * <p>Not thread-safe: used by the one rendering thread of a job.
 */
final class GifFrames implements FrameSink {
  private final ImageWriter writer;
  private final ImageOutputStream out;
  private final IndexColorModel colours;
  private final Region region;
  private final int scale;
  private final String delayCentis;
  /** The index drawn for "unchanged", or -1 if the palette uses all 256. */
  private final int transparent;
  /** The region as the frames so far show it, row-major at canvas resolution. */
  private final byte[] shown;
  private boolean first = true;

  GifFrames(OutputStream target, Palette palette, TimelapseRequest request) throws IOException {
    Iterator<ImageWriter> writers = ImageIO.getImageWritersByFormatName("gif");
    if (!writers.hasNext()) {
      throw new IOException("this JDK has no GIF writer");
    }
    this.writer = writers.next();
    // In memory, not ImageIO's default file cache: the writer flushes as it goes, so this holds
    // little, and a render leaves no temporary file behind.
    this.out = new MemoryCacheImageOutputStream(target);
    this.writer.setOutput(out);
    this.colours = colourModel(palette);
    this.transparent = palette.size() < Palette.MAX_COLORS ? palette.size() : -1;
    this.region = request.region();
    this.scale = request.scale();
    // GIF delays are in hundredths of a second; browsers play delays under 2 as 10, so 2 is the floor.
    this.delayCentis = Integer.toString(Math.max(2, Math.round(100f / request.fps())));
    this.shown = new byte[(region.x2() - region.x1() + 1) * (region.y2() - region.y1() + 1)];
    writer.prepareWriteSequence(null);
  }

  /**
   * The palette as a colour table of a power-of-two size, as GIF needs, with room for one more
   * index (transparency) when the palette has fewer than 256 colours; unused entries are black.
   */
  static IndexColorModel colourModel(Palette palette) {
    int bits = 1;
    while ((1 << bits) < Math.min(Palette.MAX_COLORS, palette.size() + 1)) {
      bits++;
    }
    int size = 1 << bits;
    byte[] r = new byte[size];
    byte[] g = new byte[size];
    byte[] b = new byte[size];
    for (int i = 0; i < palette.size(); i++) {
      int rgb = palette.rgb(i);
      r[i] = (byte) (rgb >> 16);
      g[i] = (byte) (rgb >> 8);
      b[i] = (byte) rgb;
    }
    return new IndexColorModel(bits, size, r, g, b);
  }

  @Override
  public void frame(byte[] pixels, int canvasWidth, Region changed) throws IOException {
    Region part = changed != null ? changed : Region.pixel(region.x1(), region.y1());
    int w = (part.x2() - part.x1() + 1) * scale;
    int h = (part.y2() - part.y1() + 1) * scale;
    BufferedImage image = new BufferedImage(w, h, BufferedImage.TYPE_BYTE_INDEXED, colours);
    byte[] row = new byte[w];
    var raster = image.getRaster();
    int regionWidth = region.x2() - region.x1() + 1;
    boolean keep = first || transparent < 0;
    byte clear = (byte) transparent;
    for (int y = part.y1(); y <= part.y2(); y++) {
      int base = y * canvasWidth;
      int seen = (y - region.y1()) * regionWidth - region.x1();
      for (int x = part.x1(), o = 0; x <= part.x2(); x++) {
        byte p = pixels[base + x];
        byte drawn = p;
        if (shown[seen + x] == p && !keep) {
          drawn = clear;
        } else {
          shown[seen + x] = p;
        }
        if (scale == 1) {
          row[o++] = drawn;
        } else {
          for (int s = 0; s < scale; s++) {
            row[o++] = drawn;
          }
        }
      }
      int outY = (y - part.y1()) * scale;
      for (int s = 0; s < scale; s++) {
        raster.setDataElements(0, outY + s, w, 1, row);
      }
    }
    IIOMetadata metadata = writer.getDefaultImageMetadata(ImageTypeSpecifier.createFromRenderedImage(image), null);
    String format = metadata.getNativeMetadataFormatName();
    IIOMetadataNode root = (IIOMetadataNode) metadata.getAsTree(format);
    IIOMetadataNode descriptor = child(root, "ImageDescriptor");
    descriptor.setAttribute("imageLeftPosition", Integer.toString((part.x1() - region.x1()) * scale));
    descriptor.setAttribute("imageTopPosition", Integer.toString((part.y1() - region.y1()) * scale));
    descriptor.setAttribute("imageWidth", Integer.toString(w));
    descriptor.setAttribute("imageHeight", Integer.toString(h));
    // ImageIO interlaces by default, and its reader and writer disagree on frames of a few rows.
    descriptor.setAttribute("interlaceFlag", "FALSE");
    IIOMetadataNode control = child(root, "GraphicControlExtension");
    control.setAttribute("disposalMethod", "doNotDispose");
    control.setAttribute("userInputFlag", "FALSE");
    control.setAttribute("transparentColorFlag", transparent >= 0 ? "TRUE" : "FALSE");
    control.setAttribute("transparentColorIndex", Integer.toString(Math.max(0, transparent)));
    control.setAttribute("delayTime", delayCentis);
    if (first) {
      IIOMetadataNode extensions = child(root, "ApplicationExtensions");
      IIOMetadataNode loop = new IIOMetadataNode("ApplicationExtension");
      loop.setAttribute("applicationID", "NETSCAPE");
      loop.setAttribute("authenticationCode", "2.0");
      loop.setUserObject(new byte[] {1, 0, 0}); // sub-block 1: loop count 0, forever
      extensions.appendChild(loop);
      first = false;
    }
    metadata.setFromTree(format, root);
    writer.writeToSequence(new IIOImage(image, null, metadata), null);
  }

  private static IIOMetadataNode child(IIOMetadataNode root, String name) {
    for (int i = 0; i < root.getLength(); i++) {
      if (root.item(i).getNodeName().equalsIgnoreCase(name)) {
        return (IIOMetadataNode) root.item(i);
      }
    }
    IIOMetadataNode node = new IIOMetadataNode(name);
    root.appendChild(node);
    return node;
  }

  @Override
  public void finish() throws IOException {
    writer.endWriteSequence();
    out.close();
    writer.dispose();
  }

  @Override
  public void abort() {
    try {
      out.close();
    } catch (IOException ignored) {
      // the partial file is deleted by the caller
    }
    writer.dispose();
  }
}
