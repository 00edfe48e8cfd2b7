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

/**
 * An animated GIF, written with the JDK's ImageIO GIF writer. The palette has at most 256 colours,
 * so every frame is indexed with the palette's own colour table and nothing is quantised.
 *
 * <p>The first frame is the whole region; each later one is only the rectangle that changed since
 * the frame before, drawn over it (disposal "do not dispose"), which keeps a long timelapse of a
 * big canvas small. A frame in which nothing changed is one unchanged pixel that only adds its
 * delay. The animation loops forever.
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
  private boolean first = true;

  GifFrames(OutputStream target, Palette palette, TimelapseRequest request) throws IOException {
    Iterator<ImageWriter> writers = ImageIO.getImageWritersByFormatName("gif");
    if (!writers.hasNext()) {
      throw new IOException("this JDK has no GIF writer");
    }
    this.writer = writers.next();
    this.out = ImageIO.createImageOutputStream(target);
    this.writer.setOutput(out);
    this.colours = colourModel(palette);
    this.region = request.region();
    this.scale = request.scale();
    // GIF delays are in hundredths of a second; browsers play delays under 2 as 10, so 2 is the floor.
    this.delayCentis = Integer.toString(Math.max(2, Math.round(100f / request.fps())));
    writer.prepareWriteSequence(null);
  }

  /** The palette as a colour table of a power-of-two size, as GIF needs; unused entries are black. */
  static IndexColorModel colourModel(Palette palette) {
    int bits = 1;
    while ((1 << bits) < palette.size()) {
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
    for (int y = part.y1(); y <= part.y2(); y++) {
      int base = y * canvasWidth;
      for (int x = part.x1(), o = 0; x <= part.x2(); x++) {
        byte p = pixels[base + x];
        for (int s = 0; s < scale; s++) {
          row[o++] = p;
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
    control.setAttribute("transparentColorFlag", "FALSE");
    control.setAttribute("transparentColorIndex", "0");
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
