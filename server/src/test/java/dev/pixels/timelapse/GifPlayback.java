package dev.pixels.timelapse;

import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import javax.imageio.ImageIO;
import javax.imageio.ImageReader;
import javax.imageio.metadata.IIOMetadataNode;
import javax.imageio.stream.ImageInputStream;

/**
 * Plays an animated GIF back as a viewer does, with ImageIO: each frame's opaque pixels are drawn
 * at its position over the picture so far, and the picture after each frame is kept, with the frame's delay.
 */
final class GifPlayback {
  final List<BufferedImage> pictures = new ArrayList<>();
  final List<Integer> delaysCentis = new ArrayList<>();
  int width;
  int height;
  boolean loops;

  static GifPlayback of(byte[] gif) throws IOException {
    GifPlayback playback = new GifPlayback();
    ImageReader reader = ImageIO.getImageReadersByFormatName("gif").next();
    try (ImageInputStream in = ImageIO.createImageInputStream(new ByteArrayInputStream(gif))) {
      reader.setInput(in, false);
      IIOMetadataNode stream = (IIOMetadataNode) reader.getStreamMetadata().getAsTree("javax_imageio_gif_stream_1.0");
      IIOMetadataNode screen = (IIOMetadataNode) stream.getElementsByTagName("LogicalScreenDescriptor").item(0);
      playback.width = Integer.parseInt(screen.getAttribute("logicalScreenWidth"));
      playback.height = Integer.parseInt(screen.getAttribute("logicalScreenHeight"));
      BufferedImage picture = new BufferedImage(playback.width, playback.height, BufferedImage.TYPE_INT_RGB);
      int frames = reader.getNumImages(true);
      for (int i = 0; i < frames; i++) {
        BufferedImage frame = reader.read(i);
        IIOMetadataNode meta = (IIOMetadataNode) reader.getImageMetadata(i).getAsTree("javax_imageio_gif_image_1.0");
        IIOMetadataNode d = (IIOMetadataNode) meta.getElementsByTagName("ImageDescriptor").item(0);
        IIOMetadataNode g = (IIOMetadataNode) meta.getElementsByTagName("GraphicControlExtension").item(0);
        int left = Integer.parseInt(d.getAttribute("imageLeftPosition"));
        int top = Integer.parseInt(d.getAttribute("imageTopPosition"));
        for (int y = 0; y < frame.getHeight(); y++) {
          for (int x = 0; x < frame.getWidth(); x++) {
            int argb = frame.getRGB(x, y);
            if (argb >>> 24 != 0) { // a transparent pixel leaves what the frames before drew
              picture.setRGB(left + x, top + y, argb);
            }
          }
        }
        BufferedImage copy = new BufferedImage(playback.width, playback.height, BufferedImage.TYPE_INT_RGB);
        copy.getGraphics().drawImage(picture, 0, 0, null);
        playback.pictures.add(copy);
        playback.delaysCentis.add(Integer.parseInt(g.getAttribute("delayTime")));
        var apps = meta.getElementsByTagName("ApplicationExtension");
        for (int a = 0; a < apps.getLength(); a++) {
          if ("NETSCAPE".equals(((IIOMetadataNode) apps.item(a)).getAttribute("applicationID"))) {
            playback.loops = true;
          }
        }
      }
    } finally {
      reader.dispose();
    }
    return playback;
  }

  /** The colour (0xRRGGBB) of canvas pixel (x, y) in picture {@code i}, drawn at {@code scale}. */
  int rgb(int i, int x, int y, int scale) {
    return pictures.get(i).getRGB(x * scale, y * scale) & 0xFFFFFF;
  }
}
