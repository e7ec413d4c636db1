package dev.blitdb.client;

import dev.blitdb.client.exceptions.NotLeaderException;
import dev.blitdb.client.exceptions.WriteOutcomeUnknownException;
import dev.blitdb.client.http.ErrorMapper;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The cluster's two error kinds arrive as their own exceptions (server/API.md, "Cluster"). */
class ClusterErrorMappingTest {

    @Test
    void shouldReportAnUnknownWriteOutcomeAsItsOwnException() {
        byte[] body = ("{\"Type\":\"WriteOutcomeUnknown\",\"Message\":\"the write was proposed but not known "
                + "committed\",\"Url\":\"/databases/default/docs?id=a\"}").getBytes(StandardCharsets.UTF_8);
        var e = ErrorMapper.toException(504, body, "PUT", "/databases/default/docs?id=a");
        assertInstanceOf(WriteOutcomeUnknownException.class, e);
        assertTrue(e.getMessage().contains("not known committed"), e.getMessage());
    }

    @Test
    void shouldCarryTheLeaderUrlOfANotLeaderAnswer() {
        byte[] body = ("{\"Type\":\"NotLeader\",\"Message\":\"node B is not the leader\",\"Url\":\"/x\","
                + "\"Leader\":\"http://127.0.0.1:8080\",\"LeaderId\":\"A\"}").getBytes(StandardCharsets.UTF_8);
        var e = assertInstanceOf(NotLeaderException.class, ErrorMapper.toException(421, body, "PUT", "/x"));
        assertEquals("http://127.0.0.1:8080", e.leaderUrl());
    }
}
