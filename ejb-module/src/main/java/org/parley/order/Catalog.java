package org.parley.order;

import com.fasterxml.jackson.core.JsonProcessingException;
import jakarta.ejb.Stateless;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import jakarta.persistence.PersistenceContext;
import org.parley.audit.AuditLog;
import org.parley.common.DomainException.FieldError;
import org.parley.common.Json;
import org.parley.common.Page;
import org.parley.common.PageRequest;
import org.parley.common.Problems;
import org.parley.identity.Caller;

import java.sql.Timestamp;
import java.time.Clock;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/** The service catalog: what can be ordered, at what price, delivered in how many days, with which form. */
@Stateless
public class Catalog {

    @PersistenceContext(unitName = "parley")
    private EntityManager em;
    @Inject
    private AuditLog audit;
    @Inject
    private Clock clock;

    /** A service as anyone sees it. */
    public record ServiceView(UUID id, String category, String name, String description, long price, int deliveryDays,
                              FormSchema formSchema, boolean active) {
    }

    /** What an admin gives to define or redefine a service. */
    public record Definition(String category, String name, String description, Long price, Integer deliveryDays,
                             FormSchema formSchema, Boolean active) {

        List<FieldError> problems() {
            List<FieldError> errors = new ArrayList<>();
            if (category == null || !category.strip().matches("[A-Za-z][A-Za-z0-9 _-]{1,39}")) {
                errors.add(new FieldError("category", "2 to 40 letters, digits, spaces, '-' or '_', starting with a letter"));
            }
            if (name == null || name.isBlank() || name.length() > 120) {
                errors.add(new FieldError("name", "1 to 120 characters"));
            }
            if (description != null && description.length() > 4000) {
                errors.add(new FieldError("description", "at most 4000 characters"));
            }
            if (price == null || price < 1 || price > 100_000_000) {
                errors.add(new FieldError("price", "1 to 100000000 paise"));
            }
            if (deliveryDays == null || deliveryDays < 1 || deliveryDays > 365) {
                errors.add(new FieldError("deliveryDays", "1 to 365 days"));
            }
            if (formSchema == null) {
                errors.add(new FieldError("formSchema", "is required"));
            } else {
                errors.addAll(formSchema.problems());
            }
            return errors;
        }
    }

    /** Active services (every service for an admin), optionally of one category (any case), by category and name. */
    public Page<ServiceView> list(Caller caller, String category, PageRequest page) {
        boolean all = caller != null && caller.isAdmin();
        String where = " where (cast(?1 as varchar) is null or upper(category) = upper(cast(?1 as varchar)))" + (all ? "" : " and active");
        String cat = category == null || category.isBlank() ? null : category.strip();
        long total = ((Number) em.createNativeQuery("select count(*) from catalog_service" + where).setParameter(1, cat)
                .getSingleResult()).longValue();
        List<?> rows = em.createNativeQuery(SELECT + where + " order by upper(category), name, id").setParameter(1, cat)
                .setFirstResult(page.offset()).setMaxResults(page.size()).getResultList();
        return new Page<>(rows.stream().map(r -> view((Object[]) r)).toList(), page.page(), page.size(), total);
    }

    /** One service; an inactive one only for admins (404 for others, as if it did not exist). */
    public ServiceView get(Caller caller, UUID id) {
        ServiceView s = find(id);
        if (s == null || (!s.active() && (caller == null || !caller.isAdmin()))) {
            throw Problems.notFound("service");
        }
        return s;
    }

    /** A service by id whatever its state, or null. */
    public ServiceView find(UUID id) {
        List<?> rows = em.createNativeQuery(SELECT + " where id = ?1").setParameter(1, id).getResultList();
        return rows.isEmpty() ? null : view((Object[]) rows.get(0));
    }

    public ServiceView create(Caller admin, Definition d) {
        require(d);
        UUID id = UUID.randomUUID();
        Timestamp now = Timestamp.from(clock.instant().truncatedTo(ChronoUnit.MICROS));
        em.createNativeQuery("""
                        insert into catalog_service (id, category, name, description, price, delivery_days, form_schema, active, created_at, updated_at)
                        values (?1, ?2, ?3, ?4, ?5, ?6, cast(?7 as jsonb), ?8, ?9, ?9)""")
                .setParameter(1, id).setParameter(2, d.category().strip().toUpperCase()).setParameter(3, d.name().strip())
                .setParameter(4, d.description() == null ? "" : d.description()).setParameter(5, d.price()).setParameter(6, d.deliveryDays())
                .setParameter(7, json(d.formSchema())).setParameter(8, d.active() == null || d.active()).setParameter(9, now).executeUpdate();
        audit.record(admin, "CATALOG_SERVICE_CREATED", "CATALOG_SERVICE", id, Map.of("name", d.name().strip(), "price", d.price()));
        return find(id);
    }

    /** Replaces a service's definition; orders placed before keep the price and form they were placed with. */
    public ServiceView update(Caller admin, UUID id, Definition d) {
        require(d);
        int n = em.createNativeQuery("""
                        update catalog_service set category = ?2, name = ?3, description = ?4, price = ?5, delivery_days = ?6,
                            form_schema = cast(?7 as jsonb), active = ?8, updated_at = ?9 where id = ?1""")
                .setParameter(1, id).setParameter(2, d.category().strip().toUpperCase()).setParameter(3, d.name().strip())
                .setParameter(4, d.description() == null ? "" : d.description()).setParameter(5, d.price()).setParameter(6, d.deliveryDays())
                .setParameter(7, json(d.formSchema())).setParameter(8, d.active() == null || d.active())
                .setParameter(9, Timestamp.from(clock.instant().truncatedTo(ChronoUnit.MICROS))).executeUpdate();
        if (n == 0) {
            throw Problems.notFound("service");
        }
        audit.record(admin, "CATALOG_SERVICE_UPDATED", "CATALOG_SERVICE", id, Map.of("name", d.name().strip(), "price", d.price(),
                "active", d.active() == null || d.active()));
        return find(id);
    }

    private static void require(Definition d) {
        List<FieldError> problems = d.problems();
        if (!problems.isEmpty()) {
            throw Problems.badRequest("the service definition has errors", problems);
        }
    }

    private static final String SELECT = "select id, category, name, description, price, delivery_days, cast(form_schema as text), active from catalog_service";

    private static ServiceView view(Object[] r) {
        return new ServiceView((UUID) r[0], (String) r[1], (String) r[2], (String) r[3], ((Number) r[4]).longValue(),
                ((Number) r[5]).intValue(), schema((String) r[6]), (Boolean) r[7]);
    }

    static FormSchema schema(String json) {
        try {
            return Json.mapper().readValue(json, FormSchema.class);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("a stored form schema does not parse", e);
        }
    }

    private static String json(Object value) {
        try {
            return Json.mapper().writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException(e);
        }
    }
}
