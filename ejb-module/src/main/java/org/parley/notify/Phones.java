package org.parley.notify;

/** Phone numbers as SMS and WhatsApp providers take them: digits with the country code, India's (91) assumed for 10 digits. */
public final class Phones {

    private Phones() {
    }

    /** {@code +91 98765-43210} → {@code 919876543210}; null for null or something too short to be a mobile number. */
    public static String international(String phone) {
        if (phone == null) {
            return null;
        }
        String digits = phone.replaceAll("[^0-9]", "");
        if (digits.length() == 11 && digits.startsWith("0")) {
            digits = digits.substring(1);
        }
        if (digits.length() == 10) {
            return "91" + digits;
        }
        return digits.length() >= 11 && digits.length() <= 15 ? digits : null;
    }
}
