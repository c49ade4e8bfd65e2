package org.oisrstream.model.util;

import java.nio.file.NoSuchFileException;

/** The one-line error text the command-line tools print: the first non-blank message down the cause chain. */
public final class ErrorMessages {

    private ErrorMessages() {
    }

    public static String oneLine(Throwable ex) {
        Throwable t = ex;
        String message = t.getMessage();
        while ((message == null || message.isBlank()) && t.getCause() != null) {
            t = t.getCause();
            message = t.getMessage();
        }
        if (message == null || message.isBlank()) {
            message = t.getClass().getSimpleName();
        }
        if (t instanceof NoSuchFileException) {
            message = "no such file: " + message;
        }
        return message.replaceAll("\\s*\\R\\s*", " ").strip();
    }
}
