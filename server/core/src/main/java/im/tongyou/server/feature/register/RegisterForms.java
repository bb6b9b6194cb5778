package im.tongyou.server.feature.register;

import im.tongyou.api.StanzaErrorException;
import org.dom4j.DocumentHelper;
import org.dom4j.Element;
import org.dom4j.QName;
import org.xmpp.forms.DataForm;
import org.xmpp.forms.FormField;

/**
 * The registration forms of XEP-0077 §3.1 and §4: the legacy fields plus a {@code jabber:iq:register}
 * form in open mode, and the {@code urn:tongyou:register:0} form of the phone flow
 * ({@code xeps/tongyou-register.md}), which has fields no legacy element stands for, so it comes with
 * instructions only ("x:data form + iq:register instructions", XEP-0077 §6).
 */
final class RegisterForms {

    static final String USERNAME = "username";
    static final String PASSWORD = "password";
    static final String PHONE = "phone";
    static final String SMS_CODE = "sms-code";
    static final String BIRTHDAY = "birthday";
    static final String ACCEPT_POLICY = "accept-policy";
    static final String POLICY_VERSION = "policy-version";

    private RegisterForms() {
    }

    /** Open mode: legacy username and password, and the same as a data form. */
    static Element openQuery() {
        Element query = DocumentHelper.createElement(QName.get("query", RegisterElement.IQ_REGISTER));
        query.addElement("instructions").setText("Choose a username and password to register with this server.");
        query.addElement(USERNAME);
        query.addElement(PASSWORD);
        DataForm form = new DataForm(DataForm.Type.form);
        form.setTitle("Account registration");
        form.addInstruction("Choose a username and password to register with this server.");
        form.addField("FORM_TYPE", null, FormField.Type.hidden).addValue(RegisterElement.IQ_REGISTER);
        form.addField(USERNAME, "Username", FormField.Type.text_single).setRequired(true);
        form.addField(PASSWORD, "Password", FormField.Type.text_private).setRequired(true);
        query.add(form.getElement());
        return query;
    }

    /** Phone mode: instructions and the Tongyou form; the policy box is not ticked (R-CON-6). */
    static Element phoneQuery(String policyVersion) {
        Element query = DocumentHelper.createElement(QName.get("query", RegisterElement.IQ_REGISTER));
        query.addElement("instructions").setText("Registration needs a mobile phone number verified by SMS: "
                + "use the Tongyou app or a client that supports data forms.");
        query.add(phoneForm(policyVersion).getElement());
        return query;
    }

    static DataForm phoneForm(String policyVersion) {
        DataForm form = new DataForm(DataForm.Type.form);
        form.setTitle("注册通友账号 / Register a Tongyou account");
        form.addInstruction("Request an SMS code for your phone number first, then fill out this form.");
        form.addField("FORM_TYPE", null, FormField.Type.hidden).addValue(RegisterElement.NS);
        form.addField(USERNAME, "Username (not a phone number)", FormField.Type.text_single).setRequired(true);
        form.addField(PASSWORD, "Password", FormField.Type.text_private).setRequired(true);
        form.addField(PHONE, "Mobile phone number", FormField.Type.text_single).setRequired(true);
        form.addField(SMS_CODE, "SMS verification code", FormField.Type.text_single).setRequired(true);
        FormField birthday = form.addField(BIRTHDAY, "Birthday (YYYY-MM-DD)", FormField.Type.text_single);
        birthday.setRequired(true);
        // XEP-0122 §3.2: the value is an xs:date.
        form.getElement().elements("field").stream()
                .filter(f -> BIRTHDAY.equals(f.attributeValue("var"))).findFirst()
                .ifPresent(f -> f.addElement(QName.get("validate", "http://jabber.org/protocol/xdata-validate"))
                        .addAttribute("datatype", "xs:date").addElement("basic"));
        FormField accept = form.addField(ACCEPT_POLICY,
                "I have read and accept the Tongyou privacy policy " + policyVersion, FormField.Type.boolean_type);
        accept.setRequired(true);
        accept.addValue("0");
        form.addField(POLICY_VERSION, null, FormField.Type.hidden).addValue(policyVersion);
        return form;
    }

    /**
     * The data form of a registration submission, or {@code null} when the query has legacy fields
     * only. XEP-0077 §4: an entity "MUST NOT submit both the data form and the predefined fields".
     */
    static DataForm submittedForm(Element query) throws StanzaErrorException {
        Element x = query.element(QName.get("x", RegisterElement.DATA));
        boolean legacy = query.element(USERNAME) != null || query.element(PASSWORD) != null;
        if (x != null && legacy) {
            throw StanzaErrorException.badRequest("submit either the data form or the username and password elements");
        }
        return x == null ? null : new DataForm(x.createCopy());
    }

    /** The FORM_TYPE of a submitted form, or {@code null}. */
    static String formType(DataForm form) {
        FormField field = form.getField("FORM_TYPE");
        return field == null ? null : field.getFirstValue();
    }

    /** A field's first value, stripped; {@code null} when absent or blank. */
    static String value(DataForm form, String var) {
        FormField field = form.getField(var);
        String v = field == null ? null : field.getFirstValue();
        return v == null || v.isBlank() ? null : v.strip();
    }

    /** A legacy field's text; {@code null} when absent or empty (XEP-0077: an empty element is no value). */
    static String legacy(Element query, String name) {
        Element e = query.element(name);
        return e == null || e.getText().isEmpty() ? null : e.getText();
    }
}
