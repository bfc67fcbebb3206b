package org.parley.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * CPU time and resident memory of a process, read from /proc: the process the benchmark runs in (in-server
 * benchmarks: the server) or, for a benchmark that runs outside, the test server's WildFly.
 */
final class ProcessStats {

    private final String proc;

    private ProcessStats(String proc) {
        this.proc = proc;
    }

    /** The managed WildFly the system tests and benchmarks start (its command line carries the test port offset). */
    static ProcessStats ofTestServer() {
        long pid = ProcessHandle.allProcesses()
                .filter(p -> p.info().commandLine().map(c -> c.contains("jboss-modules.jar") && c.contains("-Djboss.socket.binding.port-offset=100")).orElse(false))
                .mapToLong(ProcessHandle::pid).findFirst()
                .orElseThrow(() -> new IllegalStateException("the test server's WildFly process was not found"));
        return new ProcessStats("/proc/" + pid);
    }

    private static final ProcessStats SELF = new ProcessStats("/proc/self");

    /** User + system CPU time of this JVM so far, in nanoseconds (clock ticks of 10 ms). */
    static long cpuNanos() throws IOException {
        return SELF.cpu();
    }

    /** This JVM's resident set size now, in MiB. */
    static long rssMiB() throws IOException {
        return SELF.rss();
    }

    /** User + system CPU time so far, in nanoseconds (clock ticks of 10 ms). */
    long cpu() throws IOException {
        String stat = Files.readString(Path.of(proc, "stat"));
        String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
        return (Long.parseLong(f[11]) + Long.parseLong(f[12])) * 10_000_000L;
    }

    /** Resident set size now, in MiB. */
    long rss() throws IOException {
        for (String line : Files.readAllLines(Path.of(proc, "status"))) {
            if (line.startsWith("VmRSS:")) {
                return Long.parseLong(line.replaceAll("[^0-9]", "")) / 1024;
            }
        }
        return -1;
    }
}
