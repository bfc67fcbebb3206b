package org.parley.api;

import org.eclipse.microprofile.openapi.OASFilter;
import org.eclipse.microprofile.openapi.models.Operation;

import java.util.List;
import java.util.Locale;

/**
 * Names every operation of the OpenAPI document uniquely and tags it with its feature. The scanner names an operation
 * {@code <package>.<Class>_<method>} (operationIdStrategy PACKAGE_CLASS_METHOD); this turns it into the resource and
 * the method ({@code ExpertResource.reviews} → {@code expertReviews}, unique because no resource overloads a method)
 * and tags it with the last package segment ({@code org.parley.api.expert} → {@code expert}).
 */
public class OpenApiNames implements OASFilter {

    @Override
    public Operation filterOperation(Operation operation) {
        String scanned = operation.getOperationId();
        if (scanned == null || !scanned.contains("_")) {
            return operation;
        }
        String qualifiedClass = scanned.substring(0, scanned.lastIndexOf('_'));
        String method = scanned.substring(scanned.lastIndexOf('_') + 1);
        int dot = qualifiedClass.lastIndexOf('.');
        String resource = qualifiedClass.substring(dot + 1).replaceFirst("Resource$", "");
        operation.setOperationId(Character.toLowerCase(resource.charAt(0)) + resource.substring(1)
                + Character.toUpperCase(method.charAt(0)) + method.substring(1));
        if (dot > 0 && (operation.getTags() == null || operation.getTags().isEmpty())) {
            String pkg = qualifiedClass.substring(0, dot);
            operation.setTags(List.of(pkg.substring(pkg.lastIndexOf('.') + 1).toLowerCase(Locale.ROOT)));
        }
        return operation;
    }
}
