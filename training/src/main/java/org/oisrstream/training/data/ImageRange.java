package org.oisrstream.training.data;

/** An inclusive range of 1-based image numbers, e.g. {@code 1-800}. */
public record ImageRange(int first, int last) {

    public ImageRange {
        if (first < 1 || last < first) {
            throw new IllegalArgumentException("bad image range " + first + "-" + last);
        }
    }

    public static ImageRange parse(String text) {
        String[] parts = text.strip().split("-");
        try {
            if (parts.length == 2) {
                return new ImageRange(Integer.parseInt(parts[0].strip()), Integer.parseInt(parts[1].strip()));
            }
        } catch (NumberFormatException e) {
            // fall through to the error below
        }
        throw new IllegalArgumentException("bad image range '" + text + "', expected FIRST-LAST such as 1-800");
    }

    @Override
    public String toString() {
        return first + "-" + last;
    }
}
