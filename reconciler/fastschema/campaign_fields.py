"""Generated from campaign.schema.json by fastjsonschema; do not edit.

Regenerate: python -c 'from reconciler.schema import write_fast_modules; write_fast_modules()'
"""
SCHEMA_DIGEST = '354939eed3c917ec935fa7c9de357aae4f41b30efd69e6379e04ab21b38d16b7'
VERSION = "2.22.3"
from decimal import Decimal
import re
from reconciler.fastschema.errors import JsonSchemaValueException, JsonSchemaValuesException


REGEX_PATTERNS = {
    '^\\S(?:.*\\S)?$': re.compile('^\\S(?:.*\\S)?\\Z'),
    '^lst_[A-Za-z0-9_-]+$': re.compile('^lst_[A-Za-z0-9_-]+\\Z'),
    '(?:[Zz]|[+-][0-9]{2}:[0-9]{2})$': re.compile('(?:[Zz]|[+-][0-9]{2}:[0-9]{2})\\Z'),
    '^[A-Za-z0-9_-]{1,40}$': re.compile('^[A-Za-z0-9_-]{1,40}\\Z')
}

NoneType = type(None)

def validate(data, custom_formats={}, name_prefix=None):
    if not isinstance(data, (dict)):
        raise JsonSchemaValueException("" + (name_prefix or "data") + " must be object", value=data, name="" + (name_prefix or "data") + "", definition={'type': 'object', 'properties': {'name': {'type': 'string', 'minLength': 1, 'maxLength': 200, 'pattern': '^\\S(?:.*\\S)?$'}, 'contact_list_id': {'type': 'string', 'pattern': '^lst_[A-Za-z0-9_-]+$'}, 'body': {'type': 'string', 'minLength': 1}, 'scheduled_at': {'type': ['string', 'null'], 'pattern': '(?:[Zz]|[+-][0-9]{2}:[0-9]{2})$', 'format': 'date-time'}, 'previous_names': {'type': 'array', 'items': {'type': 'string', 'minLength': 1}, 'uniqueItems': True}, 'description': {'type': 'string'}, 'template_text': {'type': 'string', 'minLength': 1}, 'purpose': {'enum': ['marketing', 'transactional']}, 'skip_checks': {'type': 'array', 'items': {'enum': ['sms-encoding', 'sms-segments', 'opt-out', 'quiet-hours', 'whatsapp-template', 'sender-id', 'invisible-characters', 'list-frequency', 'mass-mention', 'link-scheme', 'link-insecure', 'link-shortener', 'link-idn', 'link-form', 'link-segment', 'link-domain', 'link-params', 'link-broken']}, 'uniqueItems': True}, 'environments': {'type': 'array', 'items': {'type': 'string', 'pattern': '^[A-Za-z0-9_-]{1,40}$'}, 'minItems': 1, 'uniqueItems': True}}, '$schema': 'http://json-schema.org/draft-07/schema#'}, rule='type')
    data_is_dict = isinstance(data, dict)
    if data_is_dict:
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
        if "contact_list_id" in data_keys:
            data_keys.remove("contact_list_id")
            data__contactlistid = data["contact_list_id"]
            if not isinstance(data__contactlistid, (str)):
                raise JsonSchemaValueException("" + (name_prefix or "data") + ".contact_list_id must be string", value=data__contactlistid, name="" + (name_prefix or "data") + ".contact_list_id", definition={'type': 'string', 'pattern': '^lst_[A-Za-z0-9_-]+$'}, rule='type')
            if isinstance(data__contactlistid, str):
                if not REGEX_PATTERNS['^lst_[A-Za-z0-9_-]+$'].search(data__contactlistid):
                    raise JsonSchemaValueException("" + (name_prefix or "data") + ".contact_list_id must match pattern ^lst_[A-Za-z0-9_-]+$", value=data__contactlistid, name="" + (name_prefix or "data") + ".contact_list_id", definition={'type': 'string', 'pattern': '^lst_[A-Za-z0-9_-]+$'}, rule='pattern')
        if "body" in data_keys:
            data_keys.remove("body")
            data__body = data["body"]
            if not isinstance(data__body, (str)):
                raise JsonSchemaValueException("" + (name_prefix or "data") + ".body must be string", value=data__body, name="" + (name_prefix or "data") + ".body", definition={'type': 'string', 'minLength': 1}, rule='type')
            if isinstance(data__body, str):
                data__body_len = len(data__body)
                if data__body_len < 1:
                    raise JsonSchemaValueException("" + (name_prefix or "data") + ".body must be longer than or equal to 1 characters", value=data__body, name="" + (name_prefix or "data") + ".body", definition={'type': 'string', 'minLength': 1}, rule='minLength')
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
    return data