"""Generated from saved-plan.schema.json by fastjsonschema; do not edit.

Regenerate: python -c 'from reconciler.schema import write_fast_modules; write_fast_modules()'
"""
SCHEMA_DIGEST = 'a5a9cb9aa5784ef315eb38defe094d64fcedb783b075f6185455817876e38ade'
VERSION = "2.22.3"
from decimal import Decimal
import re
from reconciler.fastschema.errors import JsonSchemaValueException, JsonSchemaValuesException


REGEX_PATTERNS = {
    '^sha256:[0-9a-f]{64}$': re.compile('^sha256:[0-9a-f]{64}\\Z'),
    '^[0-9a-f]{40}$': re.compile('^[0-9a-f]{40}\\Z')
}

NoneType = type(None)

def validate(data, custom_formats={}, name_prefix=None):
    if not isinstance(data, (dict)):
        raise JsonSchemaValueException("" + (name_prefix or "data") + " must be object", value=data, name="" + (name_prefix or "data") + "", definition={'$schema': 'http://json-schema.org/draft-07/schema#', 'type': 'object', 'required': ['kind', 'version', 'plan', 'apply', 'checksum'], 'additionalProperties': False, 'properties': {'kind': {'const': 'zexa-campaigns-plan'}, 'version': {'const': 2}, 'plan': {'type': 'object'}, 'checksum': {'type': 'string', 'pattern': '^sha256:[0-9a-f]{64}$'}, 'apply': {'type': 'object', 'additionalProperties': False, 'required': ['api_url', 'state_lineage', 'state_serial', 'state_fingerprint', 'account_fingerprint', 'names', 'errors', 'shown', 'work'], 'properties': {'api_url': {'type': 'string'}, 'state_lineage': {'type': ['string', 'null']}, 'state_serial': {'type': 'integer', 'minimum': 0}, 'state_fingerprint': {'type': 'string', 'minLength': 1}, 'account_fingerprint': {'type': 'string', 'minLength': 1}, 'names': {'type': 'array', 'items': {'type': 'string'}, 'uniqueItems': True}, 'errors': {'type': 'integer', 'minimum': 0}, 'shown': {'type': 'array', 'items': {'type': 'array', 'minItems': 2, 'maxItems': 2, 'items': {'type': 'string'}}}, 'work': {'type': 'array', 'items': {'type': 'object', 'additionalProperties': False, 'required': ['action', 'name', 'channel', 'digest', 'file', 'line', 'column', 'payload', 'remote_id', 'previous_name', 'purpose', 'skip_checks'], 'properties': {'action': {'enum': ['create', 'adopt', 'rename', 'waiting']}, 'name': {'type': 'string', 'minLength': 1}, 'channel': {'enum': ['sms', 'whatsapp', 'telegram', 'email', 'slack']}, 'digest': {'type': 'string', 'pattern': '^sha256:[0-9a-f]{64}$'}, 'file': {'type': 'string'}, 'line': {'type': 'integer', 'minimum': 1}, 'column': {'type': 'integer', 'minimum': 1}, 'payload': {'type': 'object'}, 'remote_id': {'type': ['string', 'null']}, 'previous_name': {'type': ['string', 'null']}, 'purpose': {'type': ['string', 'null']}, 'skip_checks': {'type': 'array', 'items': {'type': 'string'}}, 'blob': {'type': ['string', 'null'], 'pattern': '^[0-9a-f]{40}$'}}}}, 'lists': {'type': 'object', 'additionalProperties': {'type': 'string'}}}}}, '$defs': {'work': {'type': 'object', 'additionalProperties': False, 'required': ['action', 'name', 'channel', 'digest', 'file', 'line', 'column', 'payload', 'remote_id', 'previous_name', 'purpose', 'skip_checks'], 'properties': {'action': {'enum': ['create', 'adopt', 'rename', 'waiting']}, 'name': {'type': 'string', 'minLength': 1}, 'channel': {'enum': ['sms', 'whatsapp', 'telegram', 'email', 'slack']}, 'digest': {'type': 'string', 'pattern': '^sha256:[0-9a-f]{64}$'}, 'file': {'type': 'string'}, 'line': {'type': 'integer', 'minimum': 1}, 'column': {'type': 'integer', 'minimum': 1}, 'payload': {'type': 'object'}, 'remote_id': {'type': ['string', 'null']}, 'previous_name': {'type': ['string', 'null']}, 'purpose': {'type': ['string', 'null']}, 'skip_checks': {'type': 'array', 'items': {'type': 'string'}}, 'blob': {'type': ['string', 'null'], 'pattern': '^[0-9a-f]{40}$'}}}}}, rule='type')
    data_is_dict = isinstance(data, dict)
    if data_is_dict:
        data__missing_keys = set(['kind', 'version', 'plan', 'apply', 'checksum']) - data.keys()
        if data__missing_keys:
            raise JsonSchemaValueException("" + (name_prefix or "data") + " must contain " + (str(sorted(data__missing_keys)) + " properties"), value=data, name="" + (name_prefix or "data") + "", definition={'$schema': 'http://json-schema.org/draft-07/schema#', 'type': 'object', 'required': ['kind', 'version', 'plan', 'apply', 'checksum'], 'additionalProperties': False, 'properties': {'kind': {'const': 'zexa-campaigns-plan'}, 'version': {'const': 2}, 'plan': {'type': 'object'}, 'checksum': {'type': 'string', 'pattern': '^sha256:[0-9a-f]{64}$'}, 'apply': {'type': 'object', 'additionalProperties': False, 'required': ['api_url', 'state_lineage', 'state_serial', 'state_fingerprint', 'account_fingerprint', 'names', 'errors', 'shown', 'work'], 'properties': {'api_url': {'type': 'string'}, 'state_lineage': {'type': ['string', 'null']}, 'state_serial': {'type': 'integer', 'minimum': 0}, 'state_fingerprint': {'type': 'string', 'minLength': 1}, 'account_fingerprint': {'type': 'string', 'minLength': 1}, 'names': {'type': 'array', 'items': {'type': 'string'}, 'uniqueItems': True}, 'errors': {'type': 'integer', 'minimum': 0}, 'shown': {'type': 'array', 'items': {'type': 'array', 'minItems': 2, 'maxItems': 2, 'items': {'type': 'string'}}}, 'work': {'type': 'array', 'items': {'type': 'object', 'additionalProperties': False, 'required': ['action', 'name', 'channel', 'digest', 'file', 'line', 'column', 'payload', 'remote_id', 'previous_name', 'purpose', 'skip_checks'], 'properties': {'action': {'enum': ['create', 'adopt', 'rename', 'waiting']}, 'name': {'type': 'string', 'minLength': 1}, 'channel': {'enum': ['sms', 'whatsapp', 'telegram', 'email', 'slack']}, 'digest': {'type': 'string', 'pattern': '^sha256:[0-9a-f]{64}$'}, 'file': {'type': 'string'}, 'line': {'type': 'integer', 'minimum': 1}, 'column': {'type': 'integer', 'minimum': 1}, 'payload': {'type': 'object'}, 'remote_id': {'type': ['string', 'null']}, 'previous_name': {'type': ['string', 'null']}, 'purpose': {'type': ['string', 'null']}, 'skip_checks': {'type': 'array', 'items': {'type': 'string'}}, 'blob': {'type': ['string', 'null'], 'pattern': '^[0-9a-f]{40}$'}}}}, 'lists': {'type': 'object', 'additionalProperties': {'type': 'string'}}}}}, '$defs': {'work': {'type': 'object', 'additionalProperties': False, 'required': ['action', 'name', 'channel', 'digest', 'file', 'line', 'column', 'payload', 'remote_id', 'previous_name', 'purpose', 'skip_checks'], 'properties': {'action': {'enum': ['create', 'adopt', 'rename', 'waiting']}, 'name': {'type': 'string', 'minLength': 1}, 'channel': {'enum': ['sms', 'whatsapp', 'telegram', 'email', 'slack']}, 'digest': {'type': 'string', 'pattern': '^sha256:[0-9a-f]{64}$'}, 'file': {'type': 'string'}, 'line': {'type': 'integer', 'minimum': 1}, 'column': {'type': 'integer', 'minimum': 1}, 'payload': {'type': 'object'}, 'remote_id': {'type': ['string', 'null']}, 'previous_name': {'type': ['string', 'null']}, 'purpose': {'type': ['string', 'null']}, 'skip_checks': {'type': 'array', 'items': {'type': 'string'}}, 'blob': {'type': ['string', 'null'], 'pattern': '^[0-9a-f]{40}$'}}}}}, rule='required')
        data_keys = set(data.keys())
        if "kind" in data_keys:
            data_keys.remove("kind")
            data__kind = data["kind"]
            if not (isinstance(data__kind, str) and data__kind == 'zexa-campaigns-plan'):
                raise JsonSchemaValueException("" + (name_prefix or "data") + ".kind must be same as const definition: zexa-campaigns-plan", value=data__kind, name="" + (name_prefix or "data") + ".kind", definition={'const': 'zexa-campaigns-plan'}, rule='const')
        if "version" in data_keys:
            data_keys.remove("version")
            data__version = data["version"]
            if not (isinstance(data__version, (int, float)) and not isinstance(data__version, bool) and data__version == 2):
                raise JsonSchemaValueException("" + (name_prefix or "data") + ".version must be same as const definition: 2", value=data__version, name="" + (name_prefix or "data") + ".version", definition={'const': 2}, rule='const')
        if "plan" in data_keys:
            data_keys.remove("plan")
            data__plan = data["plan"]
            if not isinstance(data__plan, (dict)):
                raise JsonSchemaValueException("" + (name_prefix or "data") + ".plan must be object", value=data__plan, name="" + (name_prefix or "data") + ".plan", definition={'type': 'object'}, rule='type')
        if "checksum" in data_keys:
            data_keys.remove("checksum")
            data__checksum = data["checksum"]
            if not isinstance(data__checksum, (str)):
                raise JsonSchemaValueException("" + (name_prefix or "data") + ".checksum must be string", value=data__checksum, name="" + (name_prefix or "data") + ".checksum", definition={'type': 'string', 'pattern': '^sha256:[0-9a-f]{64}$'}, rule='type')
            if isinstance(data__checksum, str):
                if not REGEX_PATTERNS['^sha256:[0-9a-f]{64}$'].search(data__checksum):
                    raise JsonSchemaValueException("" + (name_prefix or "data") + ".checksum must match pattern ^sha256:[0-9a-f]{64}$", value=data__checksum, name="" + (name_prefix or "data") + ".checksum", definition={'type': 'string', 'pattern': '^sha256:[0-9a-f]{64}$'}, rule='pattern')
        if "apply" in data_keys:
            data_keys.remove("apply")
            data__apply = data["apply"]
            if not isinstance(data__apply, (dict)):
                raise JsonSchemaValueException("" + (name_prefix or "data") + ".apply must be object", value=data__apply, name="" + (name_prefix or "data") + ".apply", definition={'type': 'object', 'additionalProperties': False, 'required': ['api_url', 'state_lineage', 'state_serial', 'state_fingerprint', 'account_fingerprint', 'names', 'errors', 'shown', 'work'], 'properties': {'api_url': {'type': 'string'}, 'state_lineage': {'type': ['string', 'null']}, 'state_serial': {'type': 'integer', 'minimum': 0}, 'state_fingerprint': {'type': 'string', 'minLength': 1}, 'account_fingerprint': {'type': 'string', 'minLength': 1}, 'names': {'type': 'array', 'items': {'type': 'string'}, 'uniqueItems': True}, 'errors': {'type': 'integer', 'minimum': 0}, 'shown': {'type': 'array', 'items': {'type': 'array', 'minItems': 2, 'maxItems': 2, 'items': {'type': 'string'}}}, 'work': {'type': 'array', 'items': {'type': 'object', 'additionalProperties': False, 'required': ['action', 'name', 'channel', 'digest', 'file', 'line', 'column', 'payload', 'remote_id', 'previous_name', 'purpose', 'skip_checks'], 'properties': {'action': {'enum': ['create', 'adopt', 'rename', 'waiting']}, 'name': {'type': 'string', 'minLength': 1}, 'channel': {'enum': ['sms', 'whatsapp', 'telegram', 'email', 'slack']}, 'digest': {'type': 'string', 'pattern': '^sha256:[0-9a-f]{64}$'}, 'file': {'type': 'string'}, 'line': {'type': 'integer', 'minimum': 1}, 'column': {'type': 'integer', 'minimum': 1}, 'payload': {'type': 'object'}, 'remote_id': {'type': ['string', 'null']}, 'previous_name': {'type': ['string', 'null']}, 'purpose': {'type': ['string', 'null']}, 'skip_checks': {'type': 'array', 'items': {'type': 'string'}}, 'blob': {'type': ['string', 'null'], 'pattern': '^[0-9a-f]{40}$'}}}}, 'lists': {'type': 'object', 'additionalProperties': {'type': 'string'}}}}, rule='type')
            data__apply_is_dict = isinstance(data__apply, dict)
            if data__apply_is_dict:
                data__apply__missing_keys = set(['api_url', 'state_lineage', 'state_serial', 'state_fingerprint', 'account_fingerprint', 'names', 'errors', 'shown', 'work']) - data__apply.keys()
                if data__apply__missing_keys:
                    raise JsonSchemaValueException("" + (name_prefix or "data") + ".apply must contain " + (str(sorted(data__apply__missing_keys)) + " properties"), value=data__apply, name="" + (name_prefix or "data") + ".apply", definition={'type': 'object', 'additionalProperties': False, 'required': ['api_url', 'state_lineage', 'state_serial', 'state_fingerprint', 'account_fingerprint', 'names', 'errors', 'shown', 'work'], 'properties': {'api_url': {'type': 'string'}, 'state_lineage': {'type': ['string', 'null']}, 'state_serial': {'type': 'integer', 'minimum': 0}, 'state_fingerprint': {'type': 'string', 'minLength': 1}, 'account_fingerprint': {'type': 'string', 'minLength': 1}, 'names': {'type': 'array', 'items': {'type': 'string'}, 'uniqueItems': True}, 'errors': {'type': 'integer', 'minimum': 0}, 'shown': {'type': 'array', 'items': {'type': 'array', 'minItems': 2, 'maxItems': 2, 'items': {'type': 'string'}}}, 'work': {'type': 'array', 'items': {'type': 'object', 'additionalProperties': False, 'required': ['action', 'name', 'channel', 'digest', 'file', 'line', 'column', 'payload', 'remote_id', 'previous_name', 'purpose', 'skip_checks'], 'properties': {'action': {'enum': ['create', 'adopt', 'rename', 'waiting']}, 'name': {'type': 'string', 'minLength': 1}, 'channel': {'enum': ['sms', 'whatsapp', 'telegram', 'email', 'slack']}, 'digest': {'type': 'string', 'pattern': '^sha256:[0-9a-f]{64}$'}, 'file': {'type': 'string'}, 'line': {'type': 'integer', 'minimum': 1}, 'column': {'type': 'integer', 'minimum': 1}, 'payload': {'type': 'object'}, 'remote_id': {'type': ['string', 'null']}, 'previous_name': {'type': ['string', 'null']}, 'purpose': {'type': ['string', 'null']}, 'skip_checks': {'type': 'array', 'items': {'type': 'string'}}, 'blob': {'type': ['string', 'null'], 'pattern': '^[0-9a-f]{40}$'}}}}, 'lists': {'type': 'object', 'additionalProperties': {'type': 'string'}}}}, rule='required')
                data__apply_keys = set(data__apply.keys())
                if "api_url" in data__apply_keys:
                    data__apply_keys.remove("api_url")
                    data__apply__apiurl = data__apply["api_url"]
                    if not isinstance(data__apply__apiurl, (str)):
                        raise JsonSchemaValueException("" + (name_prefix or "data") + ".apply.api_url must be string", value=data__apply__apiurl, name="" + (name_prefix or "data") + ".apply.api_url", definition={'type': 'string'}, rule='type')
                if "state_lineage" in data__apply_keys:
                    data__apply_keys.remove("state_lineage")
                    data__apply__statelineage = data__apply["state_lineage"]
                    if not isinstance(data__apply__statelineage, (str, NoneType)):
                        raise JsonSchemaValueException("" + (name_prefix or "data") + ".apply.state_lineage must be string or null", value=data__apply__statelineage, name="" + (name_prefix or "data") + ".apply.state_lineage", definition={'type': ['string', 'null']}, rule='type')
                if "state_serial" in data__apply_keys:
                    data__apply_keys.remove("state_serial")
                    data__apply__stateserial = data__apply["state_serial"]
                    if not isinstance(data__apply__stateserial, (int)) and not (isinstance(data__apply__stateserial, float) and data__apply__stateserial.is_integer()) or isinstance(data__apply__stateserial, bool):
                        raise JsonSchemaValueException("" + (name_prefix or "data") + ".apply.state_serial must be integer", value=data__apply__stateserial, name="" + (name_prefix or "data") + ".apply.state_serial", definition={'type': 'integer', 'minimum': 0}, rule='type')
                    if isinstance(data__apply__stateserial, (int, float, Decimal)) and not isinstance(data__apply__stateserial, bool):
                        if data__apply__stateserial < 0:
                            raise JsonSchemaValueException("" + (name_prefix or "data") + ".apply.state_serial must be bigger than or equal to 0", value=data__apply__stateserial, name="" + (name_prefix or "data") + ".apply.state_serial", definition={'type': 'integer', 'minimum': 0}, rule='minimum')
                if "state_fingerprint" in data__apply_keys:
                    data__apply_keys.remove("state_fingerprint")
                    data__apply__statefingerprint = data__apply["state_fingerprint"]
                    if not isinstance(data__apply__statefingerprint, (str)):
                        raise JsonSchemaValueException("" + (name_prefix or "data") + ".apply.state_fingerprint must be string", value=data__apply__statefingerprint, name="" + (name_prefix or "data") + ".apply.state_fingerprint", definition={'type': 'string', 'minLength': 1}, rule='type')
                    if isinstance(data__apply__statefingerprint, str):
                        data__apply__statefingerprint_len = len(data__apply__statefingerprint)
                        if data__apply__statefingerprint_len < 1:
                            raise JsonSchemaValueException("" + (name_prefix or "data") + ".apply.state_fingerprint must be longer than or equal to 1 characters", value=data__apply__statefingerprint, name="" + (name_prefix or "data") + ".apply.state_fingerprint", definition={'type': 'string', 'minLength': 1}, rule='minLength')
                if "account_fingerprint" in data__apply_keys:
                    data__apply_keys.remove("account_fingerprint")
                    data__apply__accountfingerprint = data__apply["account_fingerprint"]
                    if not isinstance(data__apply__accountfingerprint, (str)):
                        raise JsonSchemaValueException("" + (name_prefix or "data") + ".apply.account_fingerprint must be string", value=data__apply__accountfingerprint, name="" + (name_prefix or "data") + ".apply.account_fingerprint", definition={'type': 'string', 'minLength': 1}, rule='type')
                    if isinstance(data__apply__accountfingerprint, str):
                        data__apply__accountfingerprint_len = len(data__apply__accountfingerprint)
                        if data__apply__accountfingerprint_len < 1:
                            raise JsonSchemaValueException("" + (name_prefix or "data") + ".apply.account_fingerprint must be longer than or equal to 1 characters", value=data__apply__accountfingerprint, name="" + (name_prefix or "data") + ".apply.account_fingerprint", definition={'type': 'string', 'minLength': 1}, rule='minLength')
                if "names" in data__apply_keys:
                    data__apply_keys.remove("names")
                    data__apply__names = data__apply["names"]
                    if not isinstance(data__apply__names, (list, tuple)):
                        raise JsonSchemaValueException("" + (name_prefix or "data") + ".apply.names must be array", value=data__apply__names, name="" + (name_prefix or "data") + ".apply.names", definition={'type': 'array', 'items': {'type': 'string'}, 'uniqueItems': True}, rule='type')
                    data__apply__names_is_list = isinstance(data__apply__names, (list, tuple))
                    if data__apply__names_is_list:
                        def fn(var): return frozenset(dict((k, fn(v)) for k, v in var.items()).items()) if hasattr(var, "items") else tuple(fn(v) for v in var) if isinstance(var, (dict, list)) else (bool, var) if isinstance(var, bool) else var
                        data__apply__names_len = len(data__apply__names)
                        if data__apply__names_len > len(set(fn(data__apply__names_x) for data__apply__names_x in data__apply__names)):
                            raise JsonSchemaValueException("" + (name_prefix or "data") + ".apply.names must contain unique items", value=data__apply__names, name="" + (name_prefix or "data") + ".apply.names", definition={'type': 'array', 'items': {'type': 'string'}, 'uniqueItems': True}, rule='uniqueItems')
                        for data__apply__names_x, data__apply__names_item in enumerate(data__apply__names):
                            if not isinstance(data__apply__names_item, (str)):
                                raise JsonSchemaValueException("" + (name_prefix or "data") + ".apply.names[{data__apply__names_x}]".format(**locals()) + " must be string", value=data__apply__names_item, name="" + (name_prefix or "data") + ".apply.names[{data__apply__names_x}]".format(**locals()) + "", definition={'type': 'string'}, rule='type')
                if "errors" in data__apply_keys:
                    data__apply_keys.remove("errors")
                    data__apply__errors = data__apply["errors"]
                    if not isinstance(data__apply__errors, (int)) and not (isinstance(data__apply__errors, float) and data__apply__errors.is_integer()) or isinstance(data__apply__errors, bool):
                        raise JsonSchemaValueException("" + (name_prefix or "data") + ".apply.errors must be integer", value=data__apply__errors, name="" + (name_prefix or "data") + ".apply.errors", definition={'type': 'integer', 'minimum': 0}, rule='type')
                    if isinstance(data__apply__errors, (int, float, Decimal)) and not isinstance(data__apply__errors, bool):
                        if data__apply__errors < 0:
                            raise JsonSchemaValueException("" + (name_prefix or "data") + ".apply.errors must be bigger than or equal to 0", value=data__apply__errors, name="" + (name_prefix or "data") + ".apply.errors", definition={'type': 'integer', 'minimum': 0}, rule='minimum')
                if "shown" in data__apply_keys:
                    data__apply_keys.remove("shown")
                    data__apply__shown = data__apply["shown"]
                    if not isinstance(data__apply__shown, (list, tuple)):
                        raise JsonSchemaValueException("" + (name_prefix or "data") + ".apply.shown must be array", value=data__apply__shown, name="" + (name_prefix or "data") + ".apply.shown", definition={'type': 'array', 'items': {'type': 'array', 'minItems': 2, 'maxItems': 2, 'items': {'type': 'string'}}}, rule='type')
                    data__apply__shown_is_list = isinstance(data__apply__shown, (list, tuple))
                    if data__apply__shown_is_list:
                        data__apply__shown_len = len(data__apply__shown)
                        for data__apply__shown_x, data__apply__shown_item in enumerate(data__apply__shown):
                            if not isinstance(data__apply__shown_item, (list, tuple)):
                                raise JsonSchemaValueException("" + (name_prefix or "data") + ".apply.shown[{data__apply__shown_x}]".format(**locals()) + " must be array", value=data__apply__shown_item, name="" + (name_prefix or "data") + ".apply.shown[{data__apply__shown_x}]".format(**locals()) + "", definition={'type': 'array', 'minItems': 2, 'maxItems': 2, 'items': {'type': 'string'}}, rule='type')
                            data__apply__shown_item_is_list = isinstance(data__apply__shown_item, (list, tuple))
                            if data__apply__shown_item_is_list:
                                data__apply__shown_item_len = len(data__apply__shown_item)
                                if data__apply__shown_item_len < 2:
                                    raise JsonSchemaValueException("" + (name_prefix or "data") + ".apply.shown[{data__apply__shown_x}]".format(**locals()) + " must contain at least 2 items", value=data__apply__shown_item, name="" + (name_prefix or "data") + ".apply.shown[{data__apply__shown_x}]".format(**locals()) + "", definition={'type': 'array', 'minItems': 2, 'maxItems': 2, 'items': {'type': 'string'}}, rule='minItems')
                                if data__apply__shown_item_len > 2:
                                    raise JsonSchemaValueException("" + (name_prefix or "data") + ".apply.shown[{data__apply__shown_x}]".format(**locals()) + " must contain less than or equal to 2 items", value=data__apply__shown_item, name="" + (name_prefix or "data") + ".apply.shown[{data__apply__shown_x}]".format(**locals()) + "", definition={'type': 'array', 'minItems': 2, 'maxItems': 2, 'items': {'type': 'string'}}, rule='maxItems')
                                for data__apply__shown_item_x, data__apply__shown_item_item in enumerate(data__apply__shown_item):
                                    if not isinstance(data__apply__shown_item_item, (str)):
                                        raise JsonSchemaValueException("" + (name_prefix or "data") + ".apply.shown[{data__apply__shown_x}][{data__apply__shown_item_x}]".format(**locals()) + " must be string", value=data__apply__shown_item_item, name="" + (name_prefix or "data") + ".apply.shown[{data__apply__shown_x}][{data__apply__shown_item_x}]".format(**locals()) + "", definition={'type': 'string'}, rule='type')
                if "work" in data__apply_keys:
                    data__apply_keys.remove("work")
                    data__apply__work = data__apply["work"]
                    if not isinstance(data__apply__work, (list, tuple)):
                        raise JsonSchemaValueException("" + (name_prefix or "data") + ".apply.work must be array", value=data__apply__work, name="" + (name_prefix or "data") + ".apply.work", definition={'type': 'array', 'items': {'type': 'object', 'additionalProperties': False, 'required': ['action', 'name', 'channel', 'digest', 'file', 'line', 'column', 'payload', 'remote_id', 'previous_name', 'purpose', 'skip_checks'], 'properties': {'action': {'enum': ['create', 'adopt', 'rename', 'waiting']}, 'name': {'type': 'string', 'minLength': 1}, 'channel': {'enum': ['sms', 'whatsapp', 'telegram', 'email', 'slack']}, 'digest': {'type': 'string', 'pattern': '^sha256:[0-9a-f]{64}$'}, 'file': {'type': 'string'}, 'line': {'type': 'integer', 'minimum': 1}, 'column': {'type': 'integer', 'minimum': 1}, 'payload': {'type': 'object'}, 'remote_id': {'type': ['string', 'null']}, 'previous_name': {'type': ['string', 'null']}, 'purpose': {'type': ['string', 'null']}, 'skip_checks': {'type': 'array', 'items': {'type': 'string'}}, 'blob': {'type': ['string', 'null'], 'pattern': '^[0-9a-f]{40}$'}}}}, rule='type')
                    data__apply__work_is_list = isinstance(data__apply__work, (list, tuple))
                    if data__apply__work_is_list:
                        data__apply__work_len = len(data__apply__work)
                        for data__apply__work_x, data__apply__work_item in enumerate(data__apply__work):
                            validate____defs_work(data__apply__work_item, custom_formats, (name_prefix or "data") + ".apply.work[{data__apply__work_x}]".format(**locals()))
                if "lists" in data__apply_keys:
                    data__apply_keys.remove("lists")
                    data__apply__lists = data__apply["lists"]
                    if not isinstance(data__apply__lists, (dict)):
                        raise JsonSchemaValueException("" + (name_prefix or "data") + ".apply.lists must be object", value=data__apply__lists, name="" + (name_prefix or "data") + ".apply.lists", definition={'type': 'object', 'additionalProperties': {'type': 'string'}}, rule='type')
                    data__apply__lists_is_dict = isinstance(data__apply__lists, dict)
                    if data__apply__lists_is_dict:
                        data__apply__lists_keys = set(data__apply__lists.keys())
                        for data__apply__lists_key in data__apply__lists_keys:
                            if data__apply__lists_key not in []:
                                data__apply__lists_value = data__apply__lists.get(data__apply__lists_key)
                                if not isinstance(data__apply__lists_value, (str)):
                                    raise JsonSchemaValueException("" + (name_prefix or "data") + ".apply.lists.{data__apply__lists_key}".format(**locals()) + " must be string", value=data__apply__lists_value, name="" + (name_prefix or "data") + ".apply.lists.{data__apply__lists_key}".format(**locals()) + "", definition={'type': 'string'}, rule='type')
                if data__apply_keys:
                    raise JsonSchemaValueException("" + (name_prefix or "data") + ".apply must not contain "+str(data__apply_keys)+" properties", value=data__apply, name="" + (name_prefix or "data") + ".apply", definition={'type': 'object', 'additionalProperties': False, 'required': ['api_url', 'state_lineage', 'state_serial', 'state_fingerprint', 'account_fingerprint', 'names', 'errors', 'shown', 'work'], 'properties': {'api_url': {'type': 'string'}, 'state_lineage': {'type': ['string', 'null']}, 'state_serial': {'type': 'integer', 'minimum': 0}, 'state_fingerprint': {'type': 'string', 'minLength': 1}, 'account_fingerprint': {'type': 'string', 'minLength': 1}, 'names': {'type': 'array', 'items': {'type': 'string'}, 'uniqueItems': True}, 'errors': {'type': 'integer', 'minimum': 0}, 'shown': {'type': 'array', 'items': {'type': 'array', 'minItems': 2, 'maxItems': 2, 'items': {'type': 'string'}}}, 'work': {'type': 'array', 'items': {'type': 'object', 'additionalProperties': False, 'required': ['action', 'name', 'channel', 'digest', 'file', 'line', 'column', 'payload', 'remote_id', 'previous_name', 'purpose', 'skip_checks'], 'properties': {'action': {'enum': ['create', 'adopt', 'rename', 'waiting']}, 'name': {'type': 'string', 'minLength': 1}, 'channel': {'enum': ['sms', 'whatsapp', 'telegram', 'email', 'slack']}, 'digest': {'type': 'string', 'pattern': '^sha256:[0-9a-f]{64}$'}, 'file': {'type': 'string'}, 'line': {'type': 'integer', 'minimum': 1}, 'column': {'type': 'integer', 'minimum': 1}, 'payload': {'type': 'object'}, 'remote_id': {'type': ['string', 'null']}, 'previous_name': {'type': ['string', 'null']}, 'purpose': {'type': ['string', 'null']}, 'skip_checks': {'type': 'array', 'items': {'type': 'string'}}, 'blob': {'type': ['string', 'null'], 'pattern': '^[0-9a-f]{40}$'}}}}, 'lists': {'type': 'object', 'additionalProperties': {'type': 'string'}}}}, rule='additionalProperties')
        if data_keys:
            raise JsonSchemaValueException("" + (name_prefix or "data") + " must not contain "+str(data_keys)+" properties", value=data, name="" + (name_prefix or "data") + "", definition={'$schema': 'http://json-schema.org/draft-07/schema#', 'type': 'object', 'required': ['kind', 'version', 'plan', 'apply', 'checksum'], 'additionalProperties': False, 'properties': {'kind': {'const': 'zexa-campaigns-plan'}, 'version': {'const': 2}, 'plan': {'type': 'object'}, 'checksum': {'type': 'string', 'pattern': '^sha256:[0-9a-f]{64}$'}, 'apply': {'type': 'object', 'additionalProperties': False, 'required': ['api_url', 'state_lineage', 'state_serial', 'state_fingerprint', 'account_fingerprint', 'names', 'errors', 'shown', 'work'], 'properties': {'api_url': {'type': 'string'}, 'state_lineage': {'type': ['string', 'null']}, 'state_serial': {'type': 'integer', 'minimum': 0}, 'state_fingerprint': {'type': 'string', 'minLength': 1}, 'account_fingerprint': {'type': 'string', 'minLength': 1}, 'names': {'type': 'array', 'items': {'type': 'string'}, 'uniqueItems': True}, 'errors': {'type': 'integer', 'minimum': 0}, 'shown': {'type': 'array', 'items': {'type': 'array', 'minItems': 2, 'maxItems': 2, 'items': {'type': 'string'}}}, 'work': {'type': 'array', 'items': {'type': 'object', 'additionalProperties': False, 'required': ['action', 'name', 'channel', 'digest', 'file', 'line', 'column', 'payload', 'remote_id', 'previous_name', 'purpose', 'skip_checks'], 'properties': {'action': {'enum': ['create', 'adopt', 'rename', 'waiting']}, 'name': {'type': 'string', 'minLength': 1}, 'channel': {'enum': ['sms', 'whatsapp', 'telegram', 'email', 'slack']}, 'digest': {'type': 'string', 'pattern': '^sha256:[0-9a-f]{64}$'}, 'file': {'type': 'string'}, 'line': {'type': 'integer', 'minimum': 1}, 'column': {'type': 'integer', 'minimum': 1}, 'payload': {'type': 'object'}, 'remote_id': {'type': ['string', 'null']}, 'previous_name': {'type': ['string', 'null']}, 'purpose': {'type': ['string', 'null']}, 'skip_checks': {'type': 'array', 'items': {'type': 'string'}}, 'blob': {'type': ['string', 'null'], 'pattern': '^[0-9a-f]{40}$'}}}}, 'lists': {'type': 'object', 'additionalProperties': {'type': 'string'}}}}}, '$defs': {'work': {'type': 'object', 'additionalProperties': False, 'required': ['action', 'name', 'channel', 'digest', 'file', 'line', 'column', 'payload', 'remote_id', 'previous_name', 'purpose', 'skip_checks'], 'properties': {'action': {'enum': ['create', 'adopt', 'rename', 'waiting']}, 'name': {'type': 'string', 'minLength': 1}, 'channel': {'enum': ['sms', 'whatsapp', 'telegram', 'email', 'slack']}, 'digest': {'type': 'string', 'pattern': '^sha256:[0-9a-f]{64}$'}, 'file': {'type': 'string'}, 'line': {'type': 'integer', 'minimum': 1}, 'column': {'type': 'integer', 'minimum': 1}, 'payload': {'type': 'object'}, 'remote_id': {'type': ['string', 'null']}, 'previous_name': {'type': ['string', 'null']}, 'purpose': {'type': ['string', 'null']}, 'skip_checks': {'type': 'array', 'items': {'type': 'string'}}, 'blob': {'type': ['string', 'null'], 'pattern': '^[0-9a-f]{40}$'}}}}}, rule='additionalProperties')
    return data

def validate____defs_work(data, custom_formats={}, name_prefix=None):
    if not isinstance(data, (dict)):
        raise JsonSchemaValueException("" + (name_prefix or "data") + " must be object", value=data, name="" + (name_prefix or "data") + "", definition={'type': 'object', 'additionalProperties': False, 'required': ['action', 'name', 'channel', 'digest', 'file', 'line', 'column', 'payload', 'remote_id', 'previous_name', 'purpose', 'skip_checks'], 'properties': {'action': {'enum': ['create', 'adopt', 'rename', 'waiting']}, 'name': {'type': 'string', 'minLength': 1}, 'channel': {'enum': ['sms', 'whatsapp', 'telegram', 'email', 'slack']}, 'digest': {'type': 'string', 'pattern': '^sha256:[0-9a-f]{64}$'}, 'file': {'type': 'string'}, 'line': {'type': 'integer', 'minimum': 1}, 'column': {'type': 'integer', 'minimum': 1}, 'payload': {'type': 'object'}, 'remote_id': {'type': ['string', 'null']}, 'previous_name': {'type': ['string', 'null']}, 'purpose': {'type': ['string', 'null']}, 'skip_checks': {'type': 'array', 'items': {'type': 'string'}}, 'blob': {'type': ['string', 'null'], 'pattern': '^[0-9a-f]{40}$'}}}, rule='type')
    data_is_dict = isinstance(data, dict)
    if data_is_dict:
        data__missing_keys = set(['action', 'name', 'channel', 'digest', 'file', 'line', 'column', 'payload', 'remote_id', 'previous_name', 'purpose', 'skip_checks']) - data.keys()
        if data__missing_keys:
            raise JsonSchemaValueException("" + (name_prefix or "data") + " must contain " + (str(sorted(data__missing_keys)) + " properties"), value=data, name="" + (name_prefix or "data") + "", definition={'type': 'object', 'additionalProperties': False, 'required': ['action', 'name', 'channel', 'digest', 'file', 'line', 'column', 'payload', 'remote_id', 'previous_name', 'purpose', 'skip_checks'], 'properties': {'action': {'enum': ['create', 'adopt', 'rename', 'waiting']}, 'name': {'type': 'string', 'minLength': 1}, 'channel': {'enum': ['sms', 'whatsapp', 'telegram', 'email', 'slack']}, 'digest': {'type': 'string', 'pattern': '^sha256:[0-9a-f]{64}$'}, 'file': {'type': 'string'}, 'line': {'type': 'integer', 'minimum': 1}, 'column': {'type': 'integer', 'minimum': 1}, 'payload': {'type': 'object'}, 'remote_id': {'type': ['string', 'null']}, 'previous_name': {'type': ['string', 'null']}, 'purpose': {'type': ['string', 'null']}, 'skip_checks': {'type': 'array', 'items': {'type': 'string'}}, 'blob': {'type': ['string', 'null'], 'pattern': '^[0-9a-f]{40}$'}}}, rule='required')
        data_keys = set(data.keys())
        if "action" in data_keys:
            data_keys.remove("action")
            data__action = data["action"]
            if not (isinstance(data__action, str) and data__action == 'create' or isinstance(data__action, str) and data__action == 'adopt' or isinstance(data__action, str) and data__action == 'rename' or isinstance(data__action, str) and data__action == 'waiting'):
                raise JsonSchemaValueException("" + (name_prefix or "data") + ".action must be one of ['create', 'adopt', 'rename', 'waiting']", value=data__action, name="" + (name_prefix or "data") + ".action", definition={'enum': ['create', 'adopt', 'rename', 'waiting']}, rule='enum')
        if "name" in data_keys:
            data_keys.remove("name")
            data__name = data["name"]
            if not isinstance(data__name, (str)):
                raise JsonSchemaValueException("" + (name_prefix or "data") + ".name must be string", value=data__name, name="" + (name_prefix or "data") + ".name", definition={'type': 'string', 'minLength': 1}, rule='type')
            if isinstance(data__name, str):
                data__name_len = len(data__name)
                if data__name_len < 1:
                    raise JsonSchemaValueException("" + (name_prefix or "data") + ".name must be longer than or equal to 1 characters", value=data__name, name="" + (name_prefix or "data") + ".name", definition={'type': 'string', 'minLength': 1}, rule='minLength')
        if "channel" in data_keys:
            data_keys.remove("channel")
            data__channel = data["channel"]
            if not (isinstance(data__channel, str) and data__channel == 'sms' or isinstance(data__channel, str) and data__channel == 'whatsapp' or isinstance(data__channel, str) and data__channel == 'telegram' or isinstance(data__channel, str) and data__channel == 'email' or isinstance(data__channel, str) and data__channel == 'slack'):
                raise JsonSchemaValueException("" + (name_prefix or "data") + ".channel must be one of ['sms', 'whatsapp', 'telegram', 'email', 'slack']", value=data__channel, name="" + (name_prefix or "data") + ".channel", definition={'enum': ['sms', 'whatsapp', 'telegram', 'email', 'slack']}, rule='enum')
        if "digest" in data_keys:
            data_keys.remove("digest")
            data__digest = data["digest"]
            if not isinstance(data__digest, (str)):
                raise JsonSchemaValueException("" + (name_prefix or "data") + ".digest must be string", value=data__digest, name="" + (name_prefix or "data") + ".digest", definition={'type': 'string', 'pattern': '^sha256:[0-9a-f]{64}$'}, rule='type')
            if isinstance(data__digest, str):
                if not REGEX_PATTERNS['^sha256:[0-9a-f]{64}$'].search(data__digest):
                    raise JsonSchemaValueException("" + (name_prefix or "data") + ".digest must match pattern ^sha256:[0-9a-f]{64}$", value=data__digest, name="" + (name_prefix or "data") + ".digest", definition={'type': 'string', 'pattern': '^sha256:[0-9a-f]{64}$'}, rule='pattern')
        if "file" in data_keys:
            data_keys.remove("file")
            data__file = data["file"]
            if not isinstance(data__file, (str)):
                raise JsonSchemaValueException("" + (name_prefix or "data") + ".file must be string", value=data__file, name="" + (name_prefix or "data") + ".file", definition={'type': 'string'}, rule='type')
        if "line" in data_keys:
            data_keys.remove("line")
            data__line = data["line"]
            if not isinstance(data__line, (int)) and not (isinstance(data__line, float) and data__line.is_integer()) or isinstance(data__line, bool):
                raise JsonSchemaValueException("" + (name_prefix or "data") + ".line must be integer", value=data__line, name="" + (name_prefix or "data") + ".line", definition={'type': 'integer', 'minimum': 1}, rule='type')
            if isinstance(data__line, (int, float, Decimal)) and not isinstance(data__line, bool):
                if data__line < 1:
                    raise JsonSchemaValueException("" + (name_prefix or "data") + ".line must be bigger than or equal to 1", value=data__line, name="" + (name_prefix or "data") + ".line", definition={'type': 'integer', 'minimum': 1}, rule='minimum')
        if "column" in data_keys:
            data_keys.remove("column")
            data__column = data["column"]
            if not isinstance(data__column, (int)) and not (isinstance(data__column, float) and data__column.is_integer()) or isinstance(data__column, bool):
                raise JsonSchemaValueException("" + (name_prefix or "data") + ".column must be integer", value=data__column, name="" + (name_prefix or "data") + ".column", definition={'type': 'integer', 'minimum': 1}, rule='type')
            if isinstance(data__column, (int, float, Decimal)) and not isinstance(data__column, bool):
                if data__column < 1:
                    raise JsonSchemaValueException("" + (name_prefix or "data") + ".column must be bigger than or equal to 1", value=data__column, name="" + (name_prefix or "data") + ".column", definition={'type': 'integer', 'minimum': 1}, rule='minimum')
        if "payload" in data_keys:
            data_keys.remove("payload")
            data__payload = data["payload"]
            if not isinstance(data__payload, (dict)):
                raise JsonSchemaValueException("" + (name_prefix or "data") + ".payload must be object", value=data__payload, name="" + (name_prefix or "data") + ".payload", definition={'type': 'object'}, rule='type')
        if "remote_id" in data_keys:
            data_keys.remove("remote_id")
            data__remoteid = data["remote_id"]
            if not isinstance(data__remoteid, (str, NoneType)):
                raise JsonSchemaValueException("" + (name_prefix or "data") + ".remote_id must be string or null", value=data__remoteid, name="" + (name_prefix or "data") + ".remote_id", definition={'type': ['string', 'null']}, rule='type')
        if "previous_name" in data_keys:
            data_keys.remove("previous_name")
            data__previousname = data["previous_name"]
            if not isinstance(data__previousname, (str, NoneType)):
                raise JsonSchemaValueException("" + (name_prefix or "data") + ".previous_name must be string or null", value=data__previousname, name="" + (name_prefix or "data") + ".previous_name", definition={'type': ['string', 'null']}, rule='type')
        if "purpose" in data_keys:
            data_keys.remove("purpose")
            data__purpose = data["purpose"]
            if not isinstance(data__purpose, (str, NoneType)):
                raise JsonSchemaValueException("" + (name_prefix or "data") + ".purpose must be string or null", value=data__purpose, name="" + (name_prefix or "data") + ".purpose", definition={'type': ['string', 'null']}, rule='type')
        if "skip_checks" in data_keys:
            data_keys.remove("skip_checks")
            data__skipchecks = data["skip_checks"]
            if not isinstance(data__skipchecks, (list, tuple)):
                raise JsonSchemaValueException("" + (name_prefix or "data") + ".skip_checks must be array", value=data__skipchecks, name="" + (name_prefix or "data") + ".skip_checks", definition={'type': 'array', 'items': {'type': 'string'}}, rule='type')
            data__skipchecks_is_list = isinstance(data__skipchecks, (list, tuple))
            if data__skipchecks_is_list:
                data__skipchecks_len = len(data__skipchecks)
                for data__skipchecks_x, data__skipchecks_item in enumerate(data__skipchecks):
                    if not isinstance(data__skipchecks_item, (str)):
                        raise JsonSchemaValueException("" + (name_prefix or "data") + ".skip_checks[{data__skipchecks_x}]".format(**locals()) + " must be string", value=data__skipchecks_item, name="" + (name_prefix or "data") + ".skip_checks[{data__skipchecks_x}]".format(**locals()) + "", definition={'type': 'string'}, rule='type')
        if "blob" in data_keys:
            data_keys.remove("blob")
            data__blob = data["blob"]
            if not isinstance(data__blob, (str, NoneType)):
                raise JsonSchemaValueException("" + (name_prefix or "data") + ".blob must be string or null", value=data__blob, name="" + (name_prefix or "data") + ".blob", definition={'type': ['string', 'null'], 'pattern': '^[0-9a-f]{40}$'}, rule='type')
            if isinstance(data__blob, str):
                if not REGEX_PATTERNS['^[0-9a-f]{40}$'].search(data__blob):
                    raise JsonSchemaValueException("" + (name_prefix or "data") + ".blob must match pattern ^[0-9a-f]{40}$", value=data__blob, name="" + (name_prefix or "data") + ".blob", definition={'type': ['string', 'null'], 'pattern': '^[0-9a-f]{40}$'}, rule='pattern')
        if data_keys:
            raise JsonSchemaValueException("" + (name_prefix or "data") + " must not contain "+str(data_keys)+" properties", value=data, name="" + (name_prefix or "data") + "", definition={'type': 'object', 'additionalProperties': False, 'required': ['action', 'name', 'channel', 'digest', 'file', 'line', 'column', 'payload', 'remote_id', 'previous_name', 'purpose', 'skip_checks'], 'properties': {'action': {'enum': ['create', 'adopt', 'rename', 'waiting']}, 'name': {'type': 'string', 'minLength': 1}, 'channel': {'enum': ['sms', 'whatsapp', 'telegram', 'email', 'slack']}, 'digest': {'type': 'string', 'pattern': '^sha256:[0-9a-f]{64}$'}, 'file': {'type': 'string'}, 'line': {'type': 'integer', 'minimum': 1}, 'column': {'type': 'integer', 'minimum': 1}, 'payload': {'type': 'object'}, 'remote_id': {'type': ['string', 'null']}, 'previous_name': {'type': ['string', 'null']}, 'purpose': {'type': ['string', 'null']}, 'skip_checks': {'type': 'array', 'items': {'type': 'string'}}, 'blob': {'type': ['string', 'null'], 'pattern': '^[0-9a-f]{40}$'}}}, rule='additionalProperties')
    return data