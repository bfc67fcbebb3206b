package org.parley.common;

import jakarta.ejb.ScheduleExpression;

import java.time.Instant;

/** The periods {@link PeriodClaims} claims: aligned slots of a number of seconds, and the name of this node. */
public final class PeriodSlots {

    private PeriodSlots() {
    }

    /** This node's name in the claims (WildFly's {@code jboss.node.name}: the host name unless set per node). */
    public static String node() {
        return System.getProperty("jboss.node.name", "standalone");
    }

    /** A calendar firing at the start of every slot of {@code seconds} (aligned, so every node fires at the same instants). */
    public static ScheduleExpression every(int seconds) {
        if (seconds > 0 && seconds < 60 && 60 % seconds == 0) {
            return new ScheduleExpression().hour("*").minute("*").second("*/" + seconds);
        }
        if (seconds >= 60 && seconds % 60 == 0 && 60 % (seconds / 60) == 0) {
            return new ScheduleExpression().hour("*").minute("*/" + seconds / 60).second(0);
        }
        throw new IllegalArgumentException("a slot of " + seconds + " s does not divide an hour evenly");
    }

    /** The start of the slot of {@code seconds} that {@code instant} falls in. */
    public static Instant slotOf(Instant instant, int seconds) {
        return Instant.ofEpochSecond(instant.getEpochSecond() - Math.floorMod(instant.getEpochSecond(), seconds));
    }
}
