import { describe, expect, it } from "vitest";
import { hiddenEdges } from "@/components/ui/scroll-frame";

// Which edges of a sideways-scrolling table say there is more beyond them.

describe("hiddenEdges", () => {
  it("shades nothing when the content fits", () => {
    expect(hiddenEdges(0, 390, 390)).toEqual({ left: false, right: false });
    expect(hiddenEdges(0, 390.5, 390)).toEqual({ left: false, right: false }); // fractional widths
  });

  it("shades the right at the start, both midway, the left at the end", () => {
    expect(hiddenEdges(0, 704, 358)).toEqual({ left: false, right: true });
    expect(hiddenEdges(120, 704, 358)).toEqual({ left: true, right: true });
    expect(hiddenEdges(346, 704, 358)).toEqual({ left: true, right: false });
    expect(hiddenEdges(345.5, 704, 358)).toEqual({ left: true, right: false });
  });
});
