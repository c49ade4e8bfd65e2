package org.oisrstream.jobs.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class ProcStatTest {

    @Test
    void readsTheNameAndCountersOfAStatLineWhoseNameHoldsSpacesAndParentheses() {
        String line = "4242 (C1 Compiler (x)) S 1 4242 4242 0 -1 4194368 1234 0 0 0 567 89 0 0 20 0 31 0 100 0 0";
        ProcStat stat = ProcStat.parse(line);
        assertEquals("C1 Compiler (x)", stat.name());
        assertEquals(1234, stat.minorFaults());
        assertEquals(567, stat.userTicks());
        assertEquals(89, stat.systemTicks());
    }
}
