"""Generated from state.schema.json by fastjsonschema; do not edit.

Regenerate: python -c 'from reconciler.schema import write_fast_modules; write_fast_modules()'
"""
SCHEMA_DIGEST = 'b7a9e861b423294a81e4bba96b9c5707238f9c40bede724f2234b06b90038abd'
VERSION = "2.22.3"
from decimal import Decimal
import re
from reconciler.fastschema.errors import JsonSchemaValueException, JsonSchemaValuesException


REGEX_PATTERNS = {
    '^cmp_[A-Za-z0-9_-]{1,128}$': re.compile('^cmp_[A-Za-z0-9_-]{1,128}\\Z'),
    '^sha256:[0-9a-f]{64}$': re.compile('^sha256:[0-9a-f]{64}\\Z'),
    '^[0-9a-f]{40}$': re.compile('^[0-9a-f]{40}\\Z')
}

NoneType = type(None)

def validate(data, custom_formats={}, name_prefix=None):
    if not isinstance(data, (dict)):
        raise JsonSchemaValueException("" + (name_prefix or "data") + " must be object", value=data, name="" + (name_prefix or "data") + "", definition={'$schema': 'http://json-schema.org/draft-07/schema#', 'type': 'object', 'required': ['version', 'lineage', 'serial', 'api_url', 'campaigns'], 'additionalProperties': False, 'properties': {'version': {'enum': [1, 2]}, 'lineage': {'type': 'string', 'minLength': 1}, 'serial': {'type': 'integer', 'minimum': 0}, 'api_url': {'type': 'string'}, 'campaigns': {'type': 'object', 'additionalProperties': {'type': 'object', 'required': ['id', 'channel', 'digest', 'origin', 'at', 'file'], 'additionalProperties': False, 'properties': {'id': {'type': 'string', 'pattern': '^cmp_[A-Za-z0-9_-]{1,128}$'}, 'channel': {'enum': ['sms', 'whatsapp', 'telegram', 'email', 'slack']}, 'digest': {'type': 'string', 'pattern': '^sha256:[0-9a-f]{64}$'}, 'origin': {'enum': ['created', 'adopted']}, 'at': {'type': 'string', 'format': 'date-time'}, 'file': {'type': 'string'}, 'blob': {'type': 'string', 'pattern': '^[0-9a-f]{40}$'}}}}}}, rule='type')
    data_is_dict = isinstance(data, dict)
    if data_is_dict:
        data__missing_keys = set(['version', 'lineage', 'serial', 'api_url', 'campaigns']) - data.keys()
        if data__missing_keys:
            raise JsonSchemaValueException("" + (name_prefix or "data") + " must contain " + (str(sorted(data__missing_keys)) + " properties"), value=data, name="" + (name_prefix or "data") + "", definition={'$schema': 'http://json-schema.org/draft-07/schema#', 'type': 'object', 'required': ['version', 'lineage', 'serial', 'api_url', 'campaigns'], 'additionalProperties': False, 'properties': {'version': {'enum': [1, 2]}, 'lineage': {'type': 'string', 'minLength': 1}, 'serial': {'type': 'integer', 'minimum': 0}, 'api_url': {'type': 'string'}, 'campaigns': {'type': 'object', 'additionalProperties': {'type': 'object', 'required': ['id', 'channel', 'digest', 'origin', 'at', 'file'], 'additionalProperties': False, 'properties': {'id': {'type': 'string', 'pattern': '^cmp_[A-Za-z0-9_-]{1,128}$'}, 'channel': {'enum': ['sms', 'whatsapp', 'telegram', 'email', 'slack']}, 'digest': {'type': 'string', 'pattern': '^sha256:[0-9a-f]{64}$'}, 'origin': {'enum': ['created', 'adopted']}, 'at': {'type': 'string', 'format': 'date-time'}, 'file': {'type': 'string'}, 'blob': {'type': 'string', 'pattern': '^[0-9a-f]{40}$'}}}}}}, rule='required')
        data_keys = set(data.keys())
        if "version" in data_keys:
            data_keys.remove("version")
            data__version = data["version"]
            if not (isinstance(data__version, (int, float)) and not isinstance(data__version, bool) and data__version == 1 or isinstance(data__version, (int, float)) and not isinstance(data__version, bool) and data__version == 2):
                raise JsonSchemaValueException("" + (name_prefix or "data") + ".version must be one of [1, 2]", value=data__version, name="" + (name_prefix or "data") + ".version", definition={'enum': [1, 2]}, rule='enum')
        if "lineage" in data_keys:
            data_keys.remove("lineage")
            data__lineage = data["lineage"]
            if not isinstance(data__lineage, (str)):
                raise JsonSchemaValueException("" + (name_prefix or "data") + ".lineage must be string", value=data__lineage, name="" + (name_prefix or "data") + ".lineage", definition={'type': 'string', 'minLength': 1}, rule='type')
            if isinstance(data__lineage, str):
                data__lineage_len = len(data__lineage)
                if data__lineage_len < 1:
                    raise JsonSchemaValueException("" + (name_prefix or "data") + ".lineage must be longer than or equal to 1 characters", value=data__lineage, name="" + (name_prefix or "data") + ".lineage", definition={'type': 'string', 'minLength': 1}, rule='minLength')
        if "serial" in data_keys:
            data_keys.remove("serial")
            data__serial = data["serial"]
            if not isinstance(data__serial, (int)) and not (isinstance(data__serial, float) and data__serial.is_integer()) or isinstance(data__serial, bool):
                raise JsonSchemaValueException("" + (name_prefix or "data") + ".serial must be integer", value=data__serial, name="" + (name_prefix or "data") + ".serial", definition={'type': 'integer', 'minimum': 0}, rule='type')
            if isinstance(data__serial, (int, float, Decimal)) and not isinstance(data__serial, bool):
                if data__serial < 0:
                    raise JsonSchemaValueException("" + (name_prefix or "data") + ".serial must be bigger than or equal to 0", value=data__serial, name="" + (name_prefix or "data") + ".serial", definition={'type': 'integer', 'minimum': 0}, rule='minimum')
        if "api_url" in data_keys:
            data_keys.remove("api_url")
            data__apiurl = data["api_url"]
            if not isinstance(data__apiurl, (str)):
                raise JsonSchemaValueException("" + (name_prefix or "data") + ".api_url must be string", value=data__apiurl, name="" + (name_prefix or "data") + ".api_url", definition={'type': 'string'}, rule='type')
        if "campaigns" in data_keys:
            data_keys.remove("campaigns")
            data__campaigns = data["campaigns"]
            if not isinstance(data__campaigns, (dict)):
                raise JsonSchemaValueException("" + (name_prefix or "data") + ".campaigns must be object", value=data__campaigns, name="" + (name_prefix or "data") + ".campaigns", definition={'type': 'object', 'additionalProperties': {'type': 'object', 'required': ['id', 'channel', 'digest', 'origin', 'at', 'file'], 'additionalProperties': False, 'properties': {'id': {'type': 'string', 'pattern': '^cmp_[A-Za-z0-9_-]{1,128}$'}, 'channel': {'enum': ['sms', 'whatsapp', 'telegram', 'email', 'slack']}, 'digest': {'type': 'string', 'pattern': '^sha256:[0-9a-f]{64}$'}, 'origin': {'enum': ['created', 'adopted']}, 'at': {'type': 'string', 'format': 'date-time'}, 'file': {'type': 'string'}, 'blob': {'type': 'string', 'pattern': '^[0-9a-f]{40}$'}}}}, rule='type')
            data__campaigns_is_dict = isinstance(data__campaigns, dict)
            if data__campaigns_is_dict:
                data__campaigns_keys = set(data__campaigns.keys())
                for data__campaigns_key in data__campaigns_keys:
                    if data__campaigns_key not in []:
                        data__campaigns_value = data__campaigns.get(data__campaigns_key)
                        if not isinstance(data__campaigns_value, (dict)):
                            raise JsonSchemaValueException("" + (name_prefix or "data") + ".campaigns.{data__campaigns_key}".format(**locals()) + " must be object", value=data__campaigns_value, name="" + (name_prefix or "data") + ".campaigns.{data__campaigns_key}".format(**locals()) + "", definition={'type': 'object', 'required': ['id', 'channel', 'digest', 'origin', 'at', 'file'], 'additionalProperties': False, 'properties': {'id': {'type': 'string', 'pattern': '^cmp_[A-Za-z0-9_-]{1,128}$'}, 'channel': {'enum': ['sms', 'whatsapp', 'telegram', 'email', 'slack']}, 'digest': {'type': 'string', 'pattern': '^sha256:[0-9a-f]{64}$'}, 'origin': {'enum': ['created', 'adopted']}, 'at': {'type': 'string', 'format': 'date-time'}, 'file': {'type': 'string'}, 'blob': {'type': 'string', 'pattern': '^[0-9a-f]{40}$'}}}, rule='type')
                        data__campaigns_value_is_dict = isinstance(data__campaigns_value, dict)
                        if data__campaigns_value_is_dict:
                            data__campaigns_value__missing_keys = set(['id', 'channel', 'digest', 'origin', 'at', 'file']) - data__campaigns_value.keys()
                            if data__campaigns_value__missing_keys:
                                raise JsonSchemaValueException("" + (name_prefix or "data") + ".campaigns.{data__campaigns_key}".format(**locals()) + " must contain " + (str(sorted(data__campaigns_value__missing_keys)) + " properties"), value=data__campaigns_value, name="" + (name_prefix or "data") + ".campaigns.{data__campaigns_key}".format(**locals()) + "", definition={'type': 'object', 'required': ['id', 'channel', 'digest', 'origin', 'at', 'file'], 'additionalProperties': False, 'properties': {'id': {'type': 'string', 'pattern': '^cmp_[A-Za-z0-9_-]{1,128}$'}, 'channel': {'enum': ['sms', 'whatsapp', 'telegram', 'email', 'slack']}, 'digest': {'type': 'string', 'pattern': '^sha256:[0-9a-f]{64}$'}, 'origin': {'enum': ['created', 'adopted']}, 'at': {'type': 'string', 'format': 'date-time'}, 'file': {'type': 'string'}, 'blob': {'type': 'string', 'pattern': '^[0-9a-f]{40}$'}}}, rule='required')
                            data__campaigns_value_keys = set(data__campaigns_value.keys())
                            if "id" in data__campaigns_value_keys:
                                data__campaigns_value_keys.remove("id")
                                data__campaigns_value__id = data__campaigns_value["id"]
                                if not isinstance(data__campaigns_value__id, (str)):
                                    raise JsonSchemaValueException("" + (name_prefix or "data") + ".campaigns.{data__campaigns_key}.id".format(**locals()) + " must be string", value=data__campaigns_value__id, name="" + (name_prefix or "data") + ".campaigns.{data__campaigns_key}.id".format(**locals()) + "", definition={'type': 'string', 'pattern': '^cmp_[A-Za-z0-9_-]{1,128}$'}, rule='type')
                                if isinstance(data__campaigns_value__id, str):
                                    if not REGEX_PATTERNS['^cmp_[A-Za-z0-9_-]{1,128}$'].search(data__campaigns_value__id):
                                        raise JsonSchemaValueException("" + (name_prefix or "data") + ".campaigns.{data__campaigns_key}.id".format(**locals()) + " must match pattern ^cmp_[A-Za-z0-9_-]{1,128}$", value=data__campaigns_value__id, name="" + (name_prefix or "data") + ".campaigns.{data__campaigns_key}.id".format(**locals()) + "", definition={'type': 'string', 'pattern': '^cmp_[A-Za-z0-9_-]{1,128}$'}, rule='pattern')
                            if "channel" in data__campaigns_value_keys:
                                data__campaigns_value_keys.remove("channel")
                                data__campaigns_value__channel = data__campaigns_value["channel"]
                                if not (isinstance(data__campaigns_value__channel, str) and data__campaigns_value__channel == 'sms' or isinstance(data__campaigns_value__channel, str) and data__campaigns_value__channel == 'whatsapp' or isinstance(data__campaigns_value__channel, str) and data__campaigns_value__channel == 'telegram' or isinstance(data__campaigns_value__channel, str) and data__campaigns_value__channel == 'email' or isinstance(data__campaigns_value__channel, str) and data__campaigns_value__channel == 'slack'):
                                    raise JsonSchemaValueException("" + (name_prefix or "data") + ".campaigns.{data__campaigns_key}.channel".format(**locals()) + " must be one of ['sms', 'whatsapp', 'telegram', 'email', 'slack']", value=data__campaigns_value__channel, name="" + (name_prefix or "data") + ".campaigns.{data__campaigns_key}.channel".format(**locals()) + "", definition={'enum': ['sms', 'whatsapp', 'telegram', 'email', 'slack']}, rule='enum')
                            if "digest" in data__campaigns_value_keys:
                                data__campaigns_value_keys.remove("digest")
                                data__campaigns_value__digest = data__campaigns_value["digest"]
                                if not isinstance(data__campaigns_value__digest, (str)):
                                    raise JsonSchemaValueException("" + (name_prefix or "data") + ".campaigns.{data__campaigns_key}.digest".format(**locals()) + " must be string", value=data__campaigns_value__digest, name="" + (name_prefix or "data") + ".campaigns.{data__campaigns_key}.digest".format(**locals()) + "", definition={'type': 'string', 'pattern': '^sha256:[0-9a-f]{64}$'}, rule='type')
                                if isinstance(data__campaigns_value__digest, str):
                                    if not REGEX_PATTERNS['^sha256:[0-9a-f]{64}$'].search(data__campaigns_value__digest):
                                        raise JsonSchemaValueException("" + (name_prefix or "data") + ".campaigns.{data__campaigns_key}.digest".format(**locals()) + " must match pattern ^sha256:[0-9a-f]{64}$", value=data__campaigns_value__digest, name="" + (name_prefix or "data") + ".campaigns.{data__campaigns_key}.digest".format(**locals()) + "", definition={'type': 'string', 'pattern': '^sha256:[0-9a-f]{64}$'}, rule='pattern')
                            if "origin" in data__campaigns_value_keys:
                                data__campaigns_value_keys.remove("origin")
                                data__campaigns_value__origin = data__campaigns_value["origin"]
                                if not (isinstance(data__campaigns_value__origin, str) and data__campaigns_value__origin == 'created' or isinstance(data__campaigns_value__origin, str) and data__campaigns_value__origin == 'adopted'):
                                    raise JsonSchemaValueException("" + (name_prefix or "data") + ".campaigns.{data__campaigns_key}.origin".format(**locals()) + " must be one of ['created', 'adopted']", value=data__campaigns_value__origin, name="" + (name_prefix or "data") + ".campaigns.{data__campaigns_key}.origin".format(**locals()) + "", definition={'enum': ['created', 'adopted']}, rule='enum')
                            if "at" in data__campaigns_value_keys:
                                data__campaigns_value_keys.remove("at")
                                data__campaigns_value__at = data__campaigns_value["at"]
                                if not isinstance(data__campaigns_value__at, (str)):
                                    raise JsonSchemaValueException("" + (name_prefix or "data") + ".campaigns.{data__campaigns_key}.at".format(**locals()) + " must be string", value=data__campaigns_value__at, name="" + (name_prefix or "data") + ".campaigns.{data__campaigns_key}.at".format(**locals()) + "", definition={'type': 'string', 'format': 'date-time'}, rule='type')
                                if isinstance(data__campaigns_value__at, str):
                                    if not custom_formats["date-time"](data__campaigns_value__at):
                                        raise JsonSchemaValueException("" + (name_prefix or "data") + ".campaigns.{data__campaigns_key}.at".format(**locals()) + " must be date-time", value=data__campaigns_value__at, name="" + (name_prefix or "data") + ".campaigns.{data__campaigns_key}.at".format(**locals()) + "", definition={'type': 'string', 'format': 'date-time'}, rule='format')
                            if "file" in data__campaigns_value_keys:
                                data__campaigns_value_keys.remove("file")
                                data__campaigns_value__file = data__campaigns_value["file"]
                                if not isinstance(data__campaigns_value__file, (str)):
                                    raise JsonSchemaValueException("" + (name_prefix or "data") + ".campaigns.{data__campaigns_key}.file".format(**locals()) + " must be string", value=data__campaigns_value__file, name="" + (name_prefix or "data") + ".campaigns.{data__campaigns_key}.file".format(**locals()) + "", definition={'type': 'string'}, rule='type')
                            if "blob" in data__campaigns_value_keys:
                                data__campaigns_value_keys.remove("blob")
                                data__campaigns_value__blob = data__campaigns_value["blob"]
                                if not isinstance(data__campaigns_value__blob, (str)):
                                    raise JsonSchemaValueException("" + (name_prefix or "data") + ".campaigns.{data__campaigns_key}.blob".format(**locals()) + " must be string", value=data__campaigns_value__blob, name="" + (name_prefix or "data") + ".campaigns.{data__campaigns_key}.blob".format(**locals()) + "", definition={'type': 'string', 'pattern': '^[0-9a-f]{40}$'}, rule='type')
                                if isinstance(data__campaigns_value__blob, str):
                                    if not REGEX_PATTERNS['^[0-9a-f]{40}$'].search(data__campaigns_value__blob):
                                        raise JsonSchemaValueException("" + (name_prefix or "data") + ".campaigns.{data__campaigns_key}.blob".format(**locals()) + " must match pattern ^[0-9a-f]{40}$", value=data__campaigns_value__blob, name="" + (name_prefix or "data") + ".campaigns.{data__campaigns_key}.blob".format(**locals()) + "", definition={'type': 'string', 'pattern': '^[0-9a-f]{40}$'}, rule='pattern')
                            if data__campaigns_value_keys:
                                raise JsonSchemaValueException("" + (name_prefix or "data") + ".campaigns.{data__campaigns_key}".format(**locals()) + " must not contain "+str(data__campaigns_value_keys)+" properties", value=data__campaigns_value, name="" + (name_prefix or "data") + ".campaigns.{data__campaigns_key}".format(**locals()) + "", definition={'type': 'object', 'required': ['id', 'channel', 'digest', 'origin', 'at', 'file'], 'additionalProperties': False, 'properties': {'id': {'type': 'string', 'pattern': '^cmp_[A-Za-z0-9_-]{1,128}$'}, 'channel': {'enum': ['sms', 'whatsapp', 'telegram', 'email', 'slack']}, 'digest': {'type': 'string', 'pattern': '^sha256:[0-9a-f]{64}$'}, 'origin': {'enum': ['created', 'adopted']}, 'at': {'type': 'string', 'format': 'date-time'}, 'file': {'type': 'string'}, 'blob': {'type': 'string', 'pattern': '^[0-9a-f]{40}$'}}}, rule='additionalProperties')
        if data_keys:
            raise JsonSchemaValueException("" + (name_prefix or "data") + " must not contain "+str(data_keys)+" properties", value=data, name="" + (name_prefix or "data") + "", definition={'$schema': 'http://json-schema.org/draft-07/schema#', 'type': 'object', 'required': ['version', 'lineage', 'serial', 'api_url', 'campaigns'], 'additionalProperties': False, 'properties': {'version': {'enum': [1, 2]}, 'lineage': {'type': 'string', 'minLength': 1}, 'serial': {'type': 'integer', 'minimum': 0}, 'api_url': {'type': 'string'}, 'campaigns': {'type': 'object', 'additionalProperties': {'type': 'object', 'required': ['id', 'channel', 'digest', 'origin', 'at', 'file'], 'additionalProperties': False, 'properties': {'id': {'type': 'string', 'pattern': '^cmp_[A-Za-z0-9_-]{1,128}$'}, 'channel': {'enum': ['sms', 'whatsapp', 'telegram', 'email', 'slack']}, 'digest': {'type': 'string', 'pattern': '^sha256:[0-9a-f]{64}$'}, 'origin': {'enum': ['created', 'adopted']}, 'at': {'type': 'string', 'format': 'date-time'}, 'file': {'type': 'string'}, 'blob': {'type': 'string', 'pattern': '^[0-9a-f]{40}$'}}}}}}, rule='additionalProperties')
    return data