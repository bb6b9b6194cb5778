package im.tongyou.server.feature.register;

import org.xmpp.forms.DataForm;
import org.xmpp.forms.FormField;

/**
 * A submitted phone-registration form ({@code xeps/tongyou-register.md}, FORM_TYPE
 * {@code urn:tongyou:register:0}), its values as sent; fields not listed here are dropped (R-MIN-1).
 *
 * @param username       the chosen username
 * @param password       the password
 * @param phone          the phone number as typed
 * @param smsCode        the SMS code
 * @param birthday       the birthday, {@code YYYY-MM-DD}
 * @param policyAccepted whether the policy box was ticked
 * @param policyVersion  the version the box stood for
 */
record PhoneSubmission(String username, String password, String phone, String smsCode, String birthday,
                       boolean policyAccepted, String policyVersion) {

    static PhoneSubmission from(DataForm form) {
        String accept = RegisterForms.value(form, RegisterForms.ACCEPT_POLICY);
        return new PhoneSubmission(RegisterForms.value(form, RegisterForms.USERNAME),
                rawValue(form, RegisterForms.PASSWORD),
                RegisterForms.value(form, RegisterForms.PHONE),
                RegisterForms.value(form, RegisterForms.SMS_CODE),
                RegisterForms.value(form, RegisterForms.BIRTHDAY),
                // XEP-0004 §3.3: a boolean is "0", "1", "false" or "true".
                "1".equals(accept) || "true".equals(accept),
                RegisterForms.value(form, RegisterForms.POLICY_VERSION));
    }

    /** The submit form a client sends. */
    DataForm toForm() {
        DataForm form = new DataForm(DataForm.Type.submit);
        form.addField("FORM_TYPE", null, FormField.Type.hidden).addValue(RegisterElement.NS);
        add(form, RegisterForms.USERNAME, username);
        add(form, RegisterForms.PASSWORD, password);
        add(form, RegisterForms.PHONE, phone);
        add(form, RegisterForms.SMS_CODE, smsCode);
        add(form, RegisterForms.BIRTHDAY, birthday);
        add(form, RegisterForms.ACCEPT_POLICY, policyAccepted ? "1" : "0");
        add(form, RegisterForms.POLICY_VERSION, policyVersion);
        return form;
    }

    private static void add(DataForm form, String var, String value) {
        if (value != null) {
            form.addField(var, null, null).addValue(value);
        }
    }

    /** A password is taken as sent: spaces may be part of it. */
    private static String rawValue(DataForm form, String var) {
        FormField field = form.getField(var);
        String v = field == null ? null : field.getFirstValue();
        return v == null || v.isEmpty() ? null : v;
    }
}
