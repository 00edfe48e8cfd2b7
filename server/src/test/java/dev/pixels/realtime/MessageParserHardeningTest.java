package dev.pixels.realtime;

import static org.assertj.core.api.Assertions.assertThat;

import dev.pixels.canvas.Palette;
import org.junit.jupiter.api.Test;

/** Regression found by HostileFramesPropertyTest: content after the JSON object was ignored. */
class MessageParserHardeningTest {
  private final MessageParser parser = new MessageParser(Palette.defaultPalette(), 16, 16);

  @Test
  void aValidFrameFollowedByAnythingIsMalformedNotPainted() {
    String valid = "{\"type\":\"pixel:update\",\"id\":\"a\",\"data\":{\"x\":0,\"y\":0,\"color\":\"#FFFFFF\"}}";
    assertThat(parser.parse(valid)).isInstanceOf(ClientMessage.Paint.class);
    for (String suffix : new String[] {"}", "]", "1.5", "{}", " x", "\"s\""}) {
      assertThat(parser.parse(valid + suffix)).as(suffix).isInstanceOf(ClientMessage.Malformed.class);
    }
    assertThat(parser.parse(valid + "  \n")).isInstanceOf(ClientMessage.Paint.class);
  }
}
