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

    /** Any process by pid (a WildFly node a benchmark started). */
    static ProcessStats of(long pid) {
        return new ProcessStats("/proc/" + pid);
    }

    /** This JVM (for a benchmark that runs outside the server: its clients). */
    static ProcessStats self() {
        return SELF;
    }

    /** User + system CPU time of this JVM so far, in nanoseconds (clock ticks of 10 ms). */
    static long cpuNanos() throws IOException {
        return SELF.cpu();
    }

    /** This JVM's resident set size now, in MiB. */
    static long rssMiB() throws IOException {
        return SELF.rss();
    }

    /**
     * CPU time of the test database so far, in nanoseconds: its postmaster (including the backends it has reaped)
     * and its live backends. The test database is the embedded PostgreSQL whose data folder is under {@code it/pgdata}.
     */
    static long testDatabaseCpuNanos() throws IOException {
        long total = 0;
        for (ProcessHandle postmaster : ProcessHandle.allProcesses()
                .filter(p -> p.info().commandLine().map(c -> c.contains("bin/postgres") && c.contains("/it/pgdata")).orElse(false)).toList()) {
            total += new ProcessStats("/proc/" + postmaster.pid()).cpu(true);
            for (ProcessHandle backend : postmaster.children().toList()) {
                total += new ProcessStats("/proc/" + backend.pid()).cpu(false);
            }
        }
        return total;
    }

    /** User + system CPU time so far, in nanoseconds (clock ticks of 10 ms). */
    long cpu() throws IOException {
        return cpu(false);
    }

    /** As {@link #cpu()}; with {@code reapedChildren}, plus the CPU time of the children it has waited for. */
    private long cpu(boolean reapedChildren) throws IOException {
        String stat;
        try {
            stat = Files.readString(Path.of(proc, "stat"));
        } catch (java.nio.file.NoSuchFileException gone) {
            return 0;
        }
        String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
        long ticks = Long.parseLong(f[11]) + Long.parseLong(f[12]);
        if (reapedChildren) {
            ticks += Long.parseLong(f[13]) + Long.parseLong(f[14]);
        }
        return ticks * 10_000_000L;
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
