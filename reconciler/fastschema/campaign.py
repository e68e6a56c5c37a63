"""Generated from campaign.schema.json by fastjsonschema; do not edit.

Regenerate: python -c 'from reconciler.schema import write_fast_modules; write_fast_modules()'
"""
SCHEMA_DIGEST = '940fbd88c4c57f5dd3e8544f452e2b70b1f75a5cdf40c11cef74743c8114d564'
VERSION = "2.22.3"
from decimal import Decimal
import re
from reconciler.fastschema.errors import JsonSchemaValueException, JsonSchemaValuesException


REGEX_PATTERNS = {
    '^(?:[A-Za-z0-9]{1,11}|\\+[1-9][0-9]{6,14})$': re.compile('^(?:[A-Za-z0-9]{1,11}|\\+[1-9][0-9]{6,14})\\Z'),
    '^[^@\\s]+@[^@\\s]+\\.[^@\\s]+$': re.compile('^[^@\\s]+@[^@\\s]+\\.[^@\\s]+\\Z'),
    '^\\S(?:.*\\S)?$': re.compile('^\\S(?:.*\\S)?\\Z'),
    '^lst_[A-Za-z0-9_-]+$': re.compile('^lst_[A-Za-z0-9_-]+\\Z'),
    '^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$': re.compile('^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}\\Z'),
    '^[a-z0-9_]+$': re.compile('^[a-z0-9_]+\\Z'),
    '^[a-z]{2,3}(?:_[A-Z]{2})?$': re.compile('^[a-z]{2,3}(?:_[A-Z]{2})?\\Z'),
    '(?:[Zz]|[+-][0-9]{2}:[0-9]{2})$': re.compile('(?:[Zz]|[+-][0-9]{2}:[0-9]{2})\\Z'),
    '^[A-Za-z0-9_-]{1,40}$': re.compile('^[A-Za-z0-9_-]{1,40}\\Z')
}

NoneType = type(None)

def validate(data, custom_formats={}, name_prefix=None):
    if not isinstance(data, (dict)):
        raise JsonSchemaValueException("" + (name_prefix or "data") + " must be object", value=data, name="" + (name_prefix or "data") + "", definition={'type': 'object', 'required': ['name', 'channel'], 'additionalProperties': False, 'properties': {'name': {'type': 'string', 'minLength': 1, 'maxLength': 200, 'pattern': '^\\S(?:.*\\S)?$'}, 'channel': {'enum': ['sms', 'whatsapp', 'telegram', 'email', 'slack']}, 'contact_list_id': {'type': 'string', 'pattern': '^lst_[A-Za-z0-9_-]+$'}, 'contact_list': {'type': 'string', 'pattern': '^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$'}, 'sender_id': {'type': 'string', 'minLength': 1}, 'sender': {'type': 'string', 'pattern': '^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$'}, 'body': {'type': 'string', 'minLength': 1}, 'template': {'type': 'object', 'required': ['name', 'language'], 'properties': {'name': {'type': 'string', 'pattern': '^[a-z0-9_]+$'}, 'language': {'type': 'object', 'required': ['code'], 'properties': {'code': {'type': 'string', 'pattern': '^[a-z]{2,3}(?:_[A-Z]{2})?$'}}}, 'components': {'type': 'array'}}}, 'scheduled_at': {'type': ['string', 'null'], 'pattern': '(?:[Zz]|[+-][0-9]{2}:[0-9]{2})$', 'format': 'date-time'}, 'previous_names': {'type': 'array', 'items': {'type': 'string', 'minLength': 1}, 'uniqueItems': True}, 'description': {'type': 'string'}, 'template_text': {'type': 'string', 'minLength': 1}, 'purpose': {'enum': ['marketing', 'transactional']}, 'skip_checks': {'type': 'array', 'items': {'enum': ['sms-encoding', 'sms-segments', 'opt-out', 'quiet-hours', 'whatsapp-template', 'sender-id', 'invisible-characters', 'list-frequency', 'mass-mention', 'link-scheme', 'link-insecure', 'link-shortener', 'link-idn', 'link-form', 'link-segment', 'link-domain', 'link-params', 'link-broken']}, 'uniqueItems': True}, 'environments': {'type': 'array', 'items': {'type': 'string', 'pattern': '^[A-Za-z0-9_-]{1,40}$'}, 'minItems': 1, 'uniqueItems': True}}, 'allOf': [{'anyOf': [{'required': ['contact_list_id']}, {'required': ['contact_list']}]}, {'anyOf': [{'required': ['sender_id']}, {'required': ['sender']}]}, {'anyOf': [{'required': ['body']}, {'required': ['template']}]}, {'if': {'properties': {'channel': {'enum': ['sms', 'whatsapp', 'telegram']}}, 'required': ['channel']}, 'then': {'properties': {'sender_id': {'pattern': '^(?:[A-Za-z0-9]{1,11}|\\+[1-9][0-9]{6,14})$'}}}}, {'if': {'properties': {'channel': {'const': 'email'}}, 'required': ['channel']}, 'then': {'properties': {'sender_id': {'pattern': '^[^@\\s]+@[^@\\s]+\\.[^@\\s]+$'}}}}, {'dependencies': {'contact_list_id': {'properties': {'contact_list': False}}, 'sender_id': {'properties': {'sender': False}}, 'body': {'properties': {'template': False}}, 'template': {'properties': {'channel': {'const': 'whatsapp'}}}}}], '$schema': 'http://json-schema.org/draft-07/schema#'}, rule='type')
    data_any_of_count1 = 0
    if not data_any_of_count1:
        try:
            data_is_dict = isinstance(data, dict)
            if data_is_dict:
                data__missing_keys = set(['contact_list_id']) - data.keys()
                if data__missing_keys:
                    raise JsonSchemaValueException("" + (name_prefix or "data") + " must contain " + (str(sorted(data__missing_keys)) + " properties"), value=data, name="" + (name_prefix or "data") + "", definition={'required': ['contact_list_id']}, rule='required')
            data_any_of_count1 += 1
        except (JsonSchemaValueException, JsonSchemaValuesException): pass
    if not data_any_of_count1:
        try:
            data_is_dict = isinstance(data, dict)
            if data_is_dict:
                data__missing_keys = set(['contact_list']) - data.keys()
                if data__missing_keys:
                    raise JsonSchemaValueException("" + (name_prefix or "data") + " must contain " + (str(sorted(data__missing_keys)) + " properties"), value=data, name="" + (name_prefix or "data") + "", definition={'required': ['contact_list']}, rule='required')
            data_any_of_count1 += 1
        except (JsonSchemaValueException, JsonSchemaValuesException): pass
    if not data_any_of_count1:
        raise JsonSchemaValueException("" + (name_prefix or "data") + " cannot be validated by any definition", value=data, name="" + (name_prefix or "data") + "", definition={'anyOf': [{'required': ['contact_list_id']}, {'required': ['contact_list']}]}, rule='anyOf')
    data_any_of_count2 = 0
    if not data_any_of_count2:
        try:
            data_is_dict = isinstance(data, dict)
            if data_is_dict:
                data__missing_keys = set(['sender_id']) - data.keys()
                if data__missing_keys:
                    raise JsonSchemaValueException("" + (name_prefix or "data") + " must contain " + (str(sorted(data__missing_keys)) + " properties"), value=data, name="" + (name_prefix or "data") + "", definition={'required': ['sender_id']}, rule='required')
            data_any_of_count2 += 1
        except (JsonSchemaValueException, JsonSchemaValuesException): pass
    if not data_any_of_count2:
        try:
            data_is_dict = isinstance(data, dict)
            if data_is_dict:
                data__missing_keys = set(['sender']) - data.keys()
                if data__missing_keys:
                    raise JsonSchemaValueException("" + (name_prefix or "data") + " must contain " + (str(sorted(data__missing_keys)) + " properties"), value=data, name="" + (name_prefix or "data") + "", definition={'required': ['sender']}, rule='required')
            data_any_of_count2 += 1
        except (JsonSchemaValueException, JsonSchemaValuesException): pass
    if not data_any_of_count2:
        raise JsonSchemaValueException("" + (name_prefix or "data") + " cannot be validated by any definition", value=data, name="" + (name_prefix or "data") + "", definition={'anyOf': [{'required': ['sender_id']}, {'required': ['sender']}]}, rule='anyOf')
    data_any_of_count3 = 0
    if not data_any_of_count3:
        try:
            data_is_dict = isinstance(data, dict)
            if data_is_dict:
                data__missing_keys = set(['body']) - data.keys()
                if data__missing_keys:
                    raise JsonSchemaValueException("" + (name_prefix or "data") + " must contain " + (str(sorted(data__missing_keys)) + " properties"), value=data, name="" + (name_prefix or "data") + "", definition={'required': ['body']}, rule='required')
            data_any_of_count3 += 1
        except (JsonSchemaValueException, JsonSchemaValuesException): pass
    if not data_any_of_count3:
        try:
            data_is_dict = isinstance(data, dict)
            if data_is_dict:
                data__missing_keys = set(['template']) - data.keys()
                if data__missing_keys:
                    raise JsonSchemaValueException("" + (name_prefix or "data") + " must contain " + (str(sorted(data__missing_keys)) + " properties"), value=data, name="" + (name_prefix or "data") + "", definition={'required': ['template']}, rule='required')
            data_any_of_count3 += 1
        except (JsonSchemaValueException, JsonSchemaValuesException): pass
    if not data_any_of_count3:
        raise JsonSchemaValueException("" + (name_prefix or "data") + " cannot be validated by any definition", value=data, name="" + (name_prefix or "data") + "", definition={'anyOf': [{'required': ['body']}, {'required': ['template']}]}, rule='anyOf')
    try:
        data_is_dict = isinstance(data, dict)
        if data_is_dict:
            data__missing_keys = set(['channel']) - data.keys()
            if data__missing_keys:
                raise JsonSchemaValueException("" + (name_prefix or "data") + " must contain " + (str(sorted(data__missing_keys)) + " properties"), value=data, name="" + (name_prefix or "data") + "", definition={'properties': {'channel': {'enum': ['sms', 'whatsapp', 'telegram']}}, 'required': ['channel']}, rule='required')
            data_keys = set(data.keys())
            if "channel" in data_keys:
                data_keys.remove("channel")
                data__channel = data["channel"]
                if not (isinstance(data__channel, str) and data__channel == 'sms' or isinstance(data__channel, str) and data__channel == 'whatsapp' or isinstance(data__channel, str) and data__channel == 'telegram'):
                    raise JsonSchemaValueException("" + (name_prefix or "data") + ".channel must be one of ['sms', 'whatsapp', 'telegram']", value=data__channel, name="" + (name_prefix or "data") + ".channel", definition={'enum': ['sms', 'whatsapp', 'telegram']}, rule='enum')
    except (JsonSchemaValueException, JsonSchemaValuesException):
        pass
    else:
        data_is_dict = isinstance(data, dict)
        if data_is_dict:
            data_keys = set(data.keys())
            if "sender_id" in data_keys:
                data_keys.remove("sender_id")
                data__senderid = data["sender_id"]
                if isinstance(data__senderid, str):
                    if not REGEX_PATTERNS['^(?:[A-Za-z0-9]{1,11}|\\+[1-9][0-9]{6,14})$'].search(data__senderid):
                        raise JsonSchemaValueException("" + (name_prefix or "data") + ".sender_id must match pattern ^(?:[A-Za-z0-9]{1,11}|\\+[1-9][0-9]{6,14})$", value=data__senderid, name="" + (name_prefix or "data") + ".sender_id", definition={'pattern': '^(?:[A-Za-z0-9]{1,11}|\\+[1-9][0-9]{6,14})$'}, rule='pattern')
    try:
        data_is_dict = isinstance(data, dict)
        if data_is_dict:
            data__missing_keys = set(['channel']) - data.keys()
            if data__missing_keys:
                raise JsonSchemaValueException("" + (name_prefix or "data") + " must contain " + (str(sorted(data__missing_keys)) + " properties"), value=data, name="" + (name_prefix or "data") + "", definition={'properties': {'channel': {'const': 'email'}}, 'required': ['channel']}, rule='required')
            data_keys = set(data.keys())
            if "channel" in data_keys:
                data_keys.remove("channel")
                data__channel = data["channel"]
                if not (isinstance(data__channel, str) and data__channel == 'email'):
                    raise JsonSchemaValueException("" + (name_prefix or "data") + ".channel must be same as const definition: email", value=data__channel, name="" + (name_prefix or "data") + ".channel", definition={'const': 'email'}, rule='const')
    except (JsonSchemaValueException, JsonSchemaValuesException):
        pass
    else:
        data_is_dict = isinstance(data, dict)
        if data_is_dict:
            data_keys = set(data.keys())
            if "sender_id" in data_keys:
                data_keys.remove("sender_id")
                data__senderid = data["sender_id"]
                if isinstance(data__senderid, str):
                    if not REGEX_PATTERNS['^[^@\\s]+@[^@\\s]+\\.[^@\\s]+$'].search(data__senderid):
                        raise JsonSchemaValueException("" + (name_prefix or "data") + ".sender_id must match pattern ^[^@\\s]+@[^@\\s]+\\.[^@\\s]+$", value=data__senderid, name="" + (name_prefix or "data") + ".sender_id", definition={'pattern': '^[^@\\s]+@[^@\\s]+\\.[^@\\s]+$'}, rule='pattern')
    data_is_dict = isinstance(data, dict)
    if data_is_dict:
        if "contact_list_id" in data:
            data_is_dict = isinstance(data, dict)
            if data_is_dict:
                data_keys = set(data.keys())
                if "contact_list" in data_keys:
                    data_keys.remove("contact_list")
                    data__contactlist = data["contact_list"]
                    raise JsonSchemaValueException("" + (name_prefix or "data") + ".contact_list must not be there", value=data__contactlist, name="" + (name_prefix or "data") + ".contact_list", definition=False, rule=None)
        if "sender_id" in data:
            data_is_dict = isinstance(data, dict)
            if data_is_dict:
                data_keys = set(data.keys())
                if "sender" in data_keys:
                    data_keys.remove("sender")
                    data__sender = data["sender"]
                    raise JsonSchemaValueException("" + (name_prefix or "data") + ".sender must not be there", value=data__sender, name="" + (name_prefix or "data") + ".sender", definition=False, rule=None)
        if "body" in data:
            data_is_dict = isinstance(data, dict)
            if data_is_dict:
                data_keys = set(data.keys())
                if "template" in data_keys:
                    data_keys.remove("template")
                    data__template = data["template"]
                    raise JsonSchemaValueException("" + (name_prefix or "data") + ".template must not be there", value=data__template, name="" + (name_prefix or "data") + ".template", definition=False, rule=None)
        if "template" in data:
            data_is_dict = isinstance(data, dict)
            if data_is_dict:
                data_keys = set(data.keys())
                if "channel" in data_keys:
                    data_keys.remove("channel")
                    data__channel = data["channel"]
                    if not (isinstance(data__channel, str) and data__channel == 'whatsapp'):
                        raise JsonSchemaValueException("" + (name_prefix or "data") + ".channel must be same as const definition: whatsapp", value=data__channel, name="" + (name_prefix or "data") + ".channel", definition={'const': 'whatsapp'}, rule='const')
    data_is_dict = isinstance(data, dict)
    if data_is_dict:
        data__missing_keys = set(['name', 'channel']) - data.keys()
        if data__missing_keys:
            raise JsonSchemaValueException("" + (name_prefix or "data") + " must contain " + (str(sorted(data__missing_keys)) + " properties"), value=data, name="" + (name_prefix or "data") + "", definition={'type': 'object', 'required': ['name', 'channel'], 'additionalProperties': False, 'properties': {'name': {'type': 'string', 'minLength': 1, 'maxLength': 200, 'pattern': '^\\S(?:.*\\S)?$'}, 'channel': {'enum': ['sms', 'whatsapp', 'telegram', 'email', 'slack']}, 'contact_list_id': {'type': 'string', 'pattern': '^lst_[A-Za-z0-9_-]+$'}, 'contact_list': {'type': 'string', 'pattern': '^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$'}, 'sender_id': {'type': 'string', 'minLength': 1}, 'sender': {'type': 'string', 'pattern': '^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$'}, 'body': {'type': 'string', 'minLength': 1}, 'template': {'type': 'object', 'required': ['name', 'language'], 'properties': {'name': {'type': 'string', 'pattern': '^[a-z0-9_]+$'}, 'language': {'type': 'object', 'required': ['code'], 'properties': {'code': {'type': 'string', 'pattern': '^[a-z]{2,3}(?:_[A-Z]{2})?$'}}}, 'components': {'type': 'array'}}}, 'scheduled_at': {'type': ['string', 'null'], 'pattern': '(?:[Zz]|[+-][0-9]{2}:[0-9]{2})$', 'format': 'date-time'}, 'previous_names': {'type': 'array', 'items': {'type': 'string', 'minLength': 1}, 'uniqueItems': True}, 'description': {'type': 'string'}, 'template_text': {'type': 'string', 'minLength': 1}, 'purpose': {'enum': ['marketing', 'transactional']}, 'skip_checks': {'type': 'array', 'items': {'enum': ['sms-encoding', 'sms-segments', 'opt-out', 'quiet-hours', 'whatsapp-template', 'sender-id', 'invisible-characters', 'list-frequency', 'mass-mention', 'link-scheme', 'link-insecure', 'link-shortener', 'link-idn', 'link-form', 'link-segment', 'link-domain', 'link-params', 'link-broken']}, 'uniqueItems': True}, 'environments': {'type': 'array', 'items': {'type': 'string', 'pattern': '^[A-Za-z0-9_-]{1,40}$'}, 'minItems': 1, 'uniqueItems': True}}, 'allOf': [{'anyOf': [{'required': ['contact_list_id']}, {'required': ['contact_list']}]}, {'anyOf': [{'required': ['sender_id']}, {'required': ['sender']}]}, {'anyOf': [{'required': ['body']}, {'required': ['template']}]}, {'if': {'properties': {'channel': {'enum': ['sms', 'whatsapp', 'telegram']}}, 'required': ['channel']}, 'then': {'properties': {'sender_id': {'pattern': '^(?:[A-Za-z0-9]{1,11}|\\+[1-9][0-9]{6,14})$'}}}}, {'if': {'properties': {'channel': {'const': 'email'}}, 'required': ['channel']}, 'then': {'properties': {'sender_id': {'pattern': '^[^@\\s]+@[^@\\s]+\\.[^@\\s]+$'}}}}, {'dependencies': {'contact_list_id': {'properties': {'contact_list': False}}, 'sender_id': {'properties': {'sender': False}}, 'body': {'properties': {'template': False}}, 'template': {'properties': {'channel': {'const': 'whatsapp'}}}}}], '$schema': 'http://json-schema.org/draft-07/schema#'}, rule='required')
        data_keys = set(data.keys())
        if "name" in data_keys:
            data_keys.remove("name")
            data__name = data["name"]
            if not isinstance(data__name, (str)):
                raise JsonSchemaValueException("" + (name_prefix or "data") + ".name must be string", value=data__name, name="" + (name_prefix or "data") + ".name", definition={'type': 'string', 'minLength': 1, 'maxLength': 200, 'pattern': '^\\S(?:.*\\S)?$'}, rule='type')
            if isinstance(data__name, str):
                data__name_len = len(data__name)
                if data__name_len < 1:
                    raise JsonSchemaValueException("" + (name_prefix or "data") + ".name must be longer than or equal to 1 characters", value=data__name, name="" + (name_prefix or "data") + ".name", definition={'type': 'string', 'minLength': 1, 'maxLength': 200, 'pattern': '^\\S(?:.*\\S)?$'}, rule='minLength')
                if data__name_len > 200:
                    raise JsonSchemaValueException("" + (name_prefix or "data") + ".name must be shorter than or equal to 200 characters", value=data__name, name="" + (name_prefix or "data") + ".name", definition={'type': 'string', 'minLength': 1, 'maxLength': 200, 'pattern': '^\\S(?:.*\\S)?$'}, rule='maxLength')
                if not REGEX_PATTERNS['^\\S(?:.*\\S)?$'].search(data__name):
                    raise JsonSchemaValueException("" + (name_prefix or "data") + ".name must match pattern ^\\S(?:.*\\S)?$", value=data__name, name="" + (name_prefix or "data") + ".name", definition={'type': 'string', 'minLength': 1, 'maxLength': 200, 'pattern': '^\\S(?:.*\\S)?$'}, rule='pattern')
        if "channel" in data_keys:
            data_keys.remove("channel")
            data__channel = data["channel"]
            if not (isinstance(data__channel, str) and data__channel == 'sms' or isinstance(data__channel, str) and data__channel == 'whatsapp' or isinstance(data__channel, str) and data__channel == 'telegram' or isinstance(data__channel, str) and data__channel == 'email' or isinstance(data__channel, str) and data__channel == 'slack'):
                raise JsonSchemaValueException("" + (name_prefix or "data") + ".channel must be one of ['sms', 'whatsapp', 'telegram', 'email', 'slack']", value=data__channel, name="" + (name_prefix or "data") + ".channel", definition={'enum': ['sms', 'whatsapp', 'telegram', 'email', 'slack']}, rule='enum')
        if "contact_list_id" in data_keys:
            data_keys.remove("contact_list_id")
            data__contactlistid = data["contact_list_id"]
            if not isinstance(data__contactlistid, (str)):
                raise JsonSchemaValueException("" + (name_prefix or "data") + ".contact_list_id must be string", value=data__contactlistid, name="" + (name_prefix or "data") + ".contact_list_id", definition={'type': 'string', 'pattern': '^lst_[A-Za-z0-9_-]+$'}, rule='type')
            if isinstance(data__contactlistid, str):
                if not REGEX_PATTERNS['^lst_[A-Za-z0-9_-]+$'].search(data__contactlistid):
                    raise JsonSchemaValueException("" + (name_prefix or "data") + ".contact_list_id must match pattern ^lst_[A-Za-z0-9_-]+$", value=data__contactlistid, name="" + (name_prefix or "data") + ".contact_list_id", definition={'type': 'string', 'pattern': '^lst_[A-Za-z0-9_-]+$'}, rule='pattern')
        if "contact_list" in data_keys:
            data_keys.remove("contact_list")
            data__contactlist = data["contact_list"]
            if not isinstance(data__contactlist, (str)):
                raise JsonSchemaValueException("" + (name_prefix or "data") + ".contact_list must be string", value=data__contactlist, name="" + (name_prefix or "data") + ".contact_list", definition={'type': 'string', 'pattern': '^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$'}, rule='type')
            if isinstance(data__contactlist, str):
                if not REGEX_PATTERNS['^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$'].search(data__contactlist):
                    raise JsonSchemaValueException("" + (name_prefix or "data") + ".contact_list must match pattern ^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$", value=data__contactlist, name="" + (name_prefix or "data") + ".contact_list", definition={'type': 'string', 'pattern': '^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$'}, rule='pattern')
        if "sender_id" in data_keys:
            data_keys.remove("sender_id")
            data__senderid = data["sender_id"]
            if not isinstance(data__senderid, (str)):
                raise JsonSchemaValueException("" + (name_prefix or "data") + ".sender_id must be string", value=data__senderid, name="" + (name_prefix or "data") + ".sender_id", definition={'type': 'string', 'minLength': 1}, rule='type')
            if isinstance(data__senderid, str):
                data__senderid_len = len(data__senderid)
                if data__senderid_len < 1:
                    raise JsonSchemaValueException("" + (name_prefix or "data") + ".sender_id must be longer than or equal to 1 characters", value=data__senderid, name="" + (name_prefix or "data") + ".sender_id", definition={'type': 'string', 'minLength': 1}, rule='minLength')
        if "sender" in data_keys:
            data_keys.remove("sender")
            data__sender = data["sender"]
            if not isinstance(data__sender, (str)):
                raise JsonSchemaValueException("" + (name_prefix or "data") + ".sender must be string", value=data__sender, name="" + (name_prefix or "data") + ".sender", definition={'type': 'string', 'pattern': '^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$'}, rule='type')
            if isinstance(data__sender, str):
                if not REGEX_PATTERNS['^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$'].search(data__sender):
                    raise JsonSchemaValueException("" + (name_prefix or "data") + ".sender must match pattern ^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$", value=data__sender, name="" + (name_prefix or "data") + ".sender", definition={'type': 'string', 'pattern': '^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$'}, rule='pattern')
        if "body" in data_keys:
            data_keys.remove("body")
            data__body = data["body"]
            if not isinstance(data__body, (str)):
                raise JsonSchemaValueException("" + (name_prefix or "data") + ".body must be string", value=data__body, name="" + (name_prefix or "data") + ".body", definition={'type': 'string', 'minLength': 1}, rule='type')
            if isinstance(data__body, str):
                data__body_len = len(data__body)
                if data__body_len < 1:
                    raise JsonSchemaValueException("" + (name_prefix or "data") + ".body must be longer than or equal to 1 characters", value=data__body, name="" + (name_prefix or "data") + ".body", definition={'type': 'string', 'minLength': 1}, rule='minLength')
        if "template" in data_keys:
            data_keys.remove("template")
            data__template = data["template"]
            if not isinstance(data__template, (dict)):
                raise JsonSchemaValueException("" + (name_prefix or "data") + ".template must be object", value=data__template, name="" + (name_prefix or "data") + ".template", definition={'type': 'object', 'required': ['name', 'language'], 'properties': {'name': {'type': 'string', 'pattern': '^[a-z0-9_]+$'}, 'language': {'type': 'object', 'required': ['code'], 'properties': {'code': {'type': 'string', 'pattern': '^[a-z]{2,3}(?:_[A-Z]{2})?$'}}}, 'components': {'type': 'array'}}}, rule='type')
            data__template_is_dict = isinstance(data__template, dict)
            if data__template_is_dict:
                data__template__missing_keys = set(['name', 'language']) - data__template.keys()
                if data__template__missing_keys:
                    raise JsonSchemaValueException("" + (name_prefix or "data") + ".template must contain " + (str(sorted(data__template__missing_keys)) + " properties"), value=data__template, name="" + (name_prefix or "data") + ".template", definition={'type': 'object', 'required': ['name', 'language'], 'properties': {'name': {'type': 'string', 'pattern': '^[a-z0-9_]+$'}, 'language': {'type': 'object', 'required': ['code'], 'properties': {'code': {'type': 'string', 'pattern': '^[a-z]{2,3}(?:_[A-Z]{2})?$'}}}, 'components': {'type': 'array'}}}, rule='required')
                data__template_keys = set(data__template.keys())
                if "name" in data__template_keys:
                    data__template_keys.remove("name")
                    data__template__name = data__template["name"]
                    if not isinstance(data__template__name, (str)):
                        raise JsonSchemaValueException("" + (name_prefix or "data") + ".template.name must be string", value=data__template__name, name="" + (name_prefix or "data") + ".template.name", definition={'type': 'string', 'pattern': '^[a-z0-9_]+$'}, rule='type')
                    if isinstance(data__template__name, str):
                        if not REGEX_PATTERNS['^[a-z0-9_]+$'].search(data__template__name):
                            raise JsonSchemaValueException("" + (name_prefix or "data") + ".template.name must match pattern ^[a-z0-9_]+$", value=data__template__name, name="" + (name_prefix or "data") + ".template.name", definition={'type': 'string', 'pattern': '^[a-z0-9_]+$'}, rule='pattern')
                if "language" in data__template_keys:
                    data__template_keys.remove("language")
                    data__template__language = data__template["language"]
                    if not isinstance(data__template__language, (dict)):
                        raise JsonSchemaValueException("" + (name_prefix or "data") + ".template.language must be object", value=data__template__language, name="" + (name_prefix or "data") + ".template.language", definition={'type': 'object', 'required': ['code'], 'properties': {'code': {'type': 'string', 'pattern': '^[a-z]{2,3}(?:_[A-Z]{2})?$'}}}, rule='type')
                    data__template__language_is_dict = isinstance(data__template__language, dict)
                    if data__template__language_is_dict:
                        data__template__language__missing_keys = set(['code']) - data__template__language.keys()
                        if data__template__language__missing_keys:
                            raise JsonSchemaValueException("" + (name_prefix or "data") + ".template.language must contain " + (str(sorted(data__template__language__missing_keys)) + " properties"), value=data__template__language, name="" + (name_prefix or "data") + ".template.language", definition={'type': 'object', 'required': ['code'], 'properties': {'code': {'type': 'string', 'pattern': '^[a-z]{2,3}(?:_[A-Z]{2})?$'}}}, rule='required')
                        data__template__language_keys = set(data__template__language.keys())
                        if "code" in data__template__language_keys:
                            data__template__language_keys.remove("code")
                            data__template__language__code = data__template__language["code"]
                            if not isinstance(data__template__language__code, (str)):
                                raise JsonSchemaValueException("" + (name_prefix or "data") + ".template.language.code must be string", value=data__template__language__code, name="" + (name_prefix or "data") + ".template.language.code", definition={'type': 'string', 'pattern': '^[a-z]{2,3}(?:_[A-Z]{2})?$'}, rule='type')
                            if isinstance(data__template__language__code, str):
                                if not REGEX_PATTERNS['^[a-z]{2,3}(?:_[A-Z]{2})?$'].search(data__template__language__code):
                                    raise JsonSchemaValueException("" + (name_prefix or "data") + ".template.language.code must match pattern ^[a-z]{2,3}(?:_[A-Z]{2})?$", value=data__template__language__code, name="" + (name_prefix or "data") + ".template.language.code", definition={'type': 'string', 'pattern': '^[a-z]{2,3}(?:_[A-Z]{2})?$'}, rule='pattern')
                if "components" in data__template_keys:
                    data__template_keys.remove("components")
                    data__template__components = data__template["components"]
                    if not isinstance(data__template__components, (list, tuple)):
                        raise JsonSchemaValueException("" + (name_prefix or "data") + ".template.components must be array", value=data__template__components, name="" + (name_prefix or "data") + ".template.components", definition={'type': 'array'}, rule='type')
        if "scheduled_at" in data_keys:
            data_keys.remove("scheduled_at")
            data__scheduledat = data["scheduled_at"]
            if not isinstance(data__scheduledat, (str, NoneType)):
                raise JsonSchemaValueException("" + (name_prefix or "data") + ".scheduled_at must be string or null", value=data__scheduledat, name="" + (name_prefix or "data") + ".scheduled_at", definition={'type': ['string', 'null'], 'pattern': '(?:[Zz]|[+-][0-9]{2}:[0-9]{2})$', 'format': 'date-time'}, rule='type')
            if isinstance(data__scheduledat, str):
                if not REGEX_PATTERNS['(?:[Zz]|[+-][0-9]{2}:[0-9]{2})$'].search(data__scheduledat):
                    raise JsonSchemaValueException("" + (name_prefix or "data") + ".scheduled_at must match pattern (?:[Zz]|[+-][0-9]{2}:[0-9]{2})$", value=data__scheduledat, name="" + (name_prefix or "data") + ".scheduled_at", definition={'type': ['string', 'null'], 'pattern': '(?:[Zz]|[+-][0-9]{2}:[0-9]{2})$', 'format': 'date-time'}, rule='pattern')
                if not custom_formats["date-time"](data__scheduledat):
                    raise JsonSchemaValueException("" + (name_prefix or "data") + ".scheduled_at must be date-time", value=data__scheduledat, name="" + (name_prefix or "data") + ".scheduled_at", definition={'type': ['string', 'null'], 'pattern': '(?:[Zz]|[+-][0-9]{2}:[0-9]{2})$', 'format': 'date-time'}, rule='format')
        if "previous_names" in data_keys:
            data_keys.remove("previous_names")
            data__previousnames = data["previous_names"]
            if not isinstance(data__previousnames, (list, tuple)):
                raise JsonSchemaValueException("" + (name_prefix or "data") + ".previous_names must be array", value=data__previousnames, name="" + (name_prefix or "data") + ".previous_names", definition={'type': 'array', 'items': {'type': 'string', 'minLength': 1}, 'uniqueItems': True}, rule='type')
            data__previousnames_is_list = isinstance(data__previousnames, (list, tuple))
            if data__previousnames_is_list:
                def fn(var): return frozenset(dict((k, fn(v)) for k, v in var.items()).items()) if hasattr(var, "items") else tuple(fn(v) for v in var) if isinstance(var, (dict, list)) else (bool, var) if isinstance(var, bool) else var
                data__previousnames_len = len(data__previousnames)
                if data__previousnames_len > len(set(fn(data__previousnames_x) for data__previousnames_x in data__previousnames)):
                    raise JsonSchemaValueException("" + (name_prefix or "data") + ".previous_names must contain unique items", value=data__previousnames, name="" + (name_prefix or "data") + ".previous_names", definition={'type': 'array', 'items': {'type': 'string', 'minLength': 1}, 'uniqueItems': True}, rule='uniqueItems')
                for data__previousnames_x, data__previousnames_item in enumerate(data__previousnames):
                    if not isinstance(data__previousnames_item, (str)):
                        raise JsonSchemaValueException("" + (name_prefix or "data") + ".previous_names[{data__previousnames_x}]".format(**locals()) + " must be string", value=data__previousnames_item, name="" + (name_prefix or "data") + ".previous_names[{data__previousnames_x}]".format(**locals()) + "", definition={'type': 'string', 'minLength': 1}, rule='type')
                    if isinstance(data__previousnames_item, str):
                        data__previousnames_item_len = len(data__previousnames_item)
                        if data__previousnames_item_len < 1:
                            raise JsonSchemaValueException("" + (name_prefix or "data") + ".previous_names[{data__previousnames_x}]".format(**locals()) + " must be longer than or equal to 1 characters", value=data__previousnames_item, name="" + (name_prefix or "data") + ".previous_names[{data__previousnames_x}]".format(**locals()) + "", definition={'type': 'string', 'minLength': 1}, rule='minLength')
        if "description" in data_keys:
            data_keys.remove("description")
            data__description = data["description"]
            if not isinstance(data__description, (str)):
                raise JsonSchemaValueException("" + (name_prefix or "data") + ".description must be string", value=data__description, name="" + (name_prefix or "data") + ".description", definition={'type': 'string'}, rule='type')
        if "template_text" in data_keys:
            data_keys.remove("template_text")
            data__templatetext = data["template_text"]
            if not isinstance(data__templatetext, (str)):
                raise JsonSchemaValueException("" + (name_prefix or "data") + ".template_text must be string", value=data__templatetext, name="" + (name_prefix or "data") + ".template_text", definition={'type': 'string', 'minLength': 1}, rule='type')
            if isinstance(data__templatetext, str):
                data__templatetext_len = len(data__templatetext)
                if data__templatetext_len < 1:
                    raise JsonSchemaValueException("" + (name_prefix or "data") + ".template_text must be longer than or equal to 1 characters", value=data__templatetext, name="" + (name_prefix or "data") + ".template_text", definition={'type': 'string', 'minLength': 1}, rule='minLength')
        if "purpose" in data_keys:
            data_keys.remove("purpose")
            data__purpose = data["purpose"]
            if not (isinstance(data__purpose, str) and data__purpose == 'marketing' or isinstance(data__purpose, str) and data__purpose == 'transactional'):
                raise JsonSchemaValueException("" + (name_prefix or "data") + ".purpose must be one of ['marketing', 'transactional']", value=data__purpose, name="" + (name_prefix or "data") + ".purpose", definition={'enum': ['marketing', 'transactional']}, rule='enum')
        if "skip_checks" in data_keys:
            data_keys.remove("skip_checks")
            data__skipchecks = data["skip_checks"]
            if not isinstance(data__skipchecks, (list, tuple)):
                raise JsonSchemaValueException("" + (name_prefix or "data") + ".skip_checks must be array", value=data__skipchecks, name="" + (name_prefix or "data") + ".skip_checks", definition={'type': 'array', 'items': {'enum': ['sms-encoding', 'sms-segments', 'opt-out', 'quiet-hours', 'whatsapp-template', 'sender-id', 'invisible-characters', 'list-frequency', 'mass-mention', 'link-scheme', 'link-insecure', 'link-shortener', 'link-idn', 'link-form', 'link-segment', 'link-domain', 'link-params', 'link-broken']}, 'uniqueItems': True}, rule='type')
            data__skipchecks_is_list = isinstance(data__skipchecks, (list, tuple))
            if data__skipchecks_is_list:
                def fn(var): return frozenset(dict((k, fn(v)) for k, v in var.items()).items()) if hasattr(var, "items") else tuple(fn(v) for v in var) if isinstance(var, (dict, list)) else (bool, var) if isinstance(var, bool) else var
                data__skipchecks_len = len(data__skipchecks)
                if data__skipchecks_len > len(set(fn(data__skipchecks_x) for data__skipchecks_x in data__skipchecks)):
                    raise JsonSchemaValueException("" + (name_prefix or "data") + ".skip_checks must contain unique items", value=data__skipchecks, name="" + (name_prefix or "data") + ".skip_checks", definition={'type': 'array', 'items': {'enum': ['sms-encoding', 'sms-segments', 'opt-out', 'quiet-hours', 'whatsapp-template', 'sender-id', 'invisible-characters', 'list-frequency', 'mass-mention', 'link-scheme', 'link-insecure', 'link-shortener', 'link-idn', 'link-form', 'link-segment', 'link-domain', 'link-params', 'link-broken']}, 'uniqueItems': True}, rule='uniqueItems')
                for data__skipchecks_x, data__skipchecks_item in enumerate(data__skipchecks):
                    if not (isinstance(data__skipchecks_item, str) and data__skipchecks_item == 'sms-encoding' or isinstance(data__skipchecks_item, str) and data__skipchecks_item == 'sms-segments' or isinstance(data__skipchecks_item, str) and data__skipchecks_item == 'opt-out' or isinstance(data__skipchecks_item, str) and data__skipchecks_item == 'quiet-hours' or isinstance(data__skipchecks_item, str) and data__skipchecks_item == 'whatsapp-template' or isinstance(data__skipchecks_item, str) and data__skipchecks_item == 'sender-id' or isinstance(data__skipchecks_item, str) and data__skipchecks_item == 'invisible-characters' or isinstance(data__skipchecks_item, str) and data__skipchecks_item == 'list-frequency' or isinstance(data__skipchecks_item, str) and data__skipchecks_item == 'mass-mention' or isinstance(data__skipchecks_item, str) and data__skipchecks_item == 'link-scheme' or isinstance(data__skipchecks_item, str) and data__skipchecks_item == 'link-insecure' or isinstance(data__skipchecks_item, str) and data__skipchecks_item == 'link-shortener' or isinstance(data__skipchecks_item, str) and data__skipchecks_item == 'link-idn' or isinstance(data__skipchecks_item, str) and data__skipchecks_item == 'link-form' or isinstance(data__skipchecks_item, str) and data__skipchecks_item == 'link-segment' or isinstance(data__skipchecks_item, str) and data__skipchecks_item == 'link-domain' or isinstance(data__skipchecks_item, str) and data__skipchecks_item == 'link-params' or isinstance(data__skipchecks_item, str) and data__skipchecks_item == 'link-broken'):
                        raise JsonSchemaValueException("" + (name_prefix or "data") + ".skip_checks[{data__skipchecks_x}]".format(**locals()) + " must be one of ['sms-encoding', 'sms-segments', 'opt-out', 'quiet-hours', 'whatsapp-template', 'sender-id', 'invisible-characters', 'list-frequency', 'mass-mention', 'link-scheme', 'link-insecure', 'link-shortener', 'link-idn', 'link-form', 'link-segment', 'link-domain', 'link-params', 'link-broken']", value=data__skipchecks_item, name="" + (name_prefix or "data") + ".skip_checks[{data__skipchecks_x}]".format(**locals()) + "", definition={'enum': ['sms-encoding', 'sms-segments', 'opt-out', 'quiet-hours', 'whatsapp-template', 'sender-id', 'invisible-characters', 'list-frequency', 'mass-mention', 'link-scheme', 'link-insecure', 'link-shortener', 'link-idn', 'link-form', 'link-segment', 'link-domain', 'link-params', 'link-broken']}, rule='enum')
        if "environments" in data_keys:
            data_keys.remove("environments")
            data__environments = data["environments"]
            if not isinstance(data__environments, (list, tuple)):
                raise JsonSchemaValueException("" + (name_prefix or "data") + ".environments must be array", value=data__environments, name="" + (name_prefix or "data") + ".environments", definition={'type': 'array', 'items': {'type': 'string', 'pattern': '^[A-Za-z0-9_-]{1,40}$'}, 'minItems': 1, 'uniqueItems': True}, rule='type')
            data__environments_is_list = isinstance(data__environments, (list, tuple))
            if data__environments_is_list:
                data__environments_len = len(data__environments)
                if data__environments_len < 1:
                    raise JsonSchemaValueException("" + (name_prefix or "data") + ".environments must contain at least 1 items", value=data__environments, name="" + (name_prefix or "data") + ".environments", definition={'type': 'array', 'items': {'type': 'string', 'pattern': '^[A-Za-z0-9_-]{1,40}$'}, 'minItems': 1, 'uniqueItems': True}, rule='minItems')
                def fn(var): return frozenset(dict((k, fn(v)) for k, v in var.items()).items()) if hasattr(var, "items") else tuple(fn(v) for v in var) if isinstance(var, (dict, list)) else (bool, var) if isinstance(var, bool) else var
                if data__environments_len > len(set(fn(data__environments_x) for data__environments_x in data__environments)):
                    raise JsonSchemaValueException("" + (name_prefix or "data") + ".environments must contain unique items", value=data__environments, name="" + (name_prefix or "data") + ".environments", definition={'type': 'array', 'items': {'type': 'string', 'pattern': '^[A-Za-z0-9_-]{1,40}$'}, 'minItems': 1, 'uniqueItems': True}, rule='uniqueItems')
                for data__environments_x, data__environments_item in enumerate(data__environments):
                    if not isinstance(data__environments_item, (str)):
                        raise JsonSchemaValueException("" + (name_prefix or "data") + ".environments[{data__environments_x}]".format(**locals()) + " must be string", value=data__environments_item, name="" + (name_prefix or "data") + ".environments[{data__environments_x}]".format(**locals()) + "", definition={'type': 'string', 'pattern': '^[A-Za-z0-9_-]{1,40}$'}, rule='type')
                    if isinstance(data__environments_item, str):
                        if not REGEX_PATTERNS['^[A-Za-z0-9_-]{1,40}$'].search(data__environments_item):
                            raise JsonSchemaValueException("" + (name_prefix or "data") + ".environments[{data__environments_x}]".format(**locals()) + " must match pattern ^[A-Za-z0-9_-]{1,40}$", value=data__environments_item, name="" + (name_prefix or "data") + ".environments[{data__environments_x}]".format(**locals()) + "", definition={'type': 'string', 'pattern': '^[A-Za-z0-9_-]{1,40}$'}, rule='pattern')
        if data_keys:
            raise JsonSchemaValueException("" + (name_prefix or "data") + " must not contain "+str(data_keys)+" properties", value=data, name="" + (name_prefix or "data") + "", definition={'type': 'object', 'required': ['name', 'channel'], 'additionalProperties': False, 'properties': {'name': {'type': 'string', 'minLength': 1, 'maxLength': 200, 'pattern': '^\\S(?:.*\\S)?$'}, 'channel': {'enum': ['sms', 'whatsapp', 'telegram', 'email', 'slack']}, 'contact_list_id': {'type': 'string', 'pattern': '^lst_[A-Za-z0-9_-]+$'}, 'contact_list': {'type': 'string', 'pattern': '^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$'}, 'sender_id': {'type': 'string', 'minLength': 1}, 'sender': {'type': 'string', 'pattern': '^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$'}, 'body': {'type': 'string', 'minLength': 1}, 'template': {'type': 'object', 'required': ['name', 'language'], 'properties': {'name': {'type': 'string', 'pattern': '^[a-z0-9_]+$'}, 'language': {'type': 'object', 'required': ['code'], 'properties': {'code': {'type': 'string', 'pattern': '^[a-z]{2,3}(?:_[A-Z]{2})?$'}}}, 'components': {'type': 'array'}}}, 'scheduled_at': {'type': ['string', 'null'], 'pattern': '(?:[Zz]|[+-][0-9]{2}:[0-9]{2})$', 'format': 'date-time'}, 'previous_names': {'type': 'array', 'items': {'type': 'string', 'minLength': 1}, 'uniqueItems': True}, 'description': {'type': 'string'}, 'template_text': {'type': 'string', 'minLength': 1}, 'purpose': {'enum': ['marketing', 'transactional']}, 'skip_checks': {'type': 'array', 'items': {'enum': ['sms-encoding', 'sms-segments', 'opt-out', 'quiet-hours', 'whatsapp-template', 'sender-id', 'invisible-characters', 'list-frequency', 'mass-mention', 'link-scheme', 'link-insecure', 'link-shortener', 'link-idn', 'link-form', 'link-segment', 'link-domain', 'link-params', 'link-broken']}, 'uniqueItems': True}, 'environments': {'type': 'array', 'items': {'type': 'string', 'pattern': '^[A-Za-z0-9_-]{1,40}$'}, 'minItems': 1, 'uniqueItems': True}}, 'allOf': [{'anyOf': [{'required': ['contact_list_id']}, {'required': ['contact_list']}]}, {'anyOf': [{'required': ['sender_id']}, {'required': ['sender']}]}, {'anyOf': [{'required': ['body']}, {'required': ['template']}]}, {'if': {'properties': {'channel': {'enum': ['sms', 'whatsapp', 'telegram']}}, 'required': ['channel']}, 'then': {'properties': {'sender_id': {'pattern': '^(?:[A-Za-z0-9]{1,11}|\\+[1-9][0-9]{6,14})$'}}}}, {'if': {'properties': {'channel': {'const': 'email'}}, 'required': ['channel']}, 'then': {'properties': {'sender_id': {'pattern': '^[^@\\s]+@[^@\\s]+\\.[^@\\s]+$'}}}}, {'dependencies': {'contact_list_id': {'properties': {'contact_list': False}}, 'sender_id': {'properties': {'sender': False}}, 'body': {'properties': {'template': False}}, 'template': {'properties': {'channel': {'const': 'whatsapp'}}}}}], '$schema': 'http://json-schema.org/draft-07/schema#'}, rule='additionalProperties')
    return data