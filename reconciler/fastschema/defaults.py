"""Generated from campaign.schema.json by fastjsonschema; do not edit.

Regenerate: python -c 'from reconciler.schema import write_fast_modules; write_fast_modules()'
"""
SCHEMA_DIGEST = '36770f151c69706a4285938f7a1ff8c1379d212f123af3f7c9cb4a4a2655a6e6'
VERSION = "2.22.3"
from decimal import Decimal
from reconciler.fastschema.errors import JsonSchemaValueException, JsonSchemaValuesException


NoneType = type(None)

def validate(data, custom_formats={}, name_prefix=None):
    if not isinstance(data, (dict)):
        raise JsonSchemaValueException("" + (name_prefix or "data") + " must be object", value=data, name="" + (name_prefix or "data") + "", definition={'type': 'object', 'propertyNames': {'enum': ['channel', 'contact_list_id', 'sender_id', 'contact_list', 'sender', 'body', 'template', 'scheduled_at', 'description', 'template_text', 'purpose', 'skip_checks', 'environments']}, '$schema': 'http://json-schema.org/draft-07/schema#'}, rule='type')
    data_is_dict = isinstance(data, dict)
    if data_is_dict:
        data_len = len(data)
        if data_len != 0:
            data_property_names = True
            for data_key in data:
                try:
                    if not (isinstance(data_key, str) and data_key == 'channel' or isinstance(data_key, str) and data_key == 'contact_list_id' or isinstance(data_key, str) and data_key == 'sender_id' or isinstance(data_key, str) and data_key == 'contact_list' or isinstance(data_key, str) and data_key == 'sender' or isinstance(data_key, str) and data_key == 'body' or isinstance(data_key, str) and data_key == 'template' or isinstance(data_key, str) and data_key == 'scheduled_at' or isinstance(data_key, str) and data_key == 'description' or isinstance(data_key, str) and data_key == 'template_text' or isinstance(data_key, str) and data_key == 'purpose' or isinstance(data_key, str) and data_key == 'skip_checks' or isinstance(data_key, str) and data_key == 'environments'):
                        raise JsonSchemaValueException("" + (name_prefix or "data") + " must be one of ['channel', 'contact_list_id', 'sender_id', 'contact_list', 'sender', 'body', 'template', 'scheduled_at', 'description', 'template_text', 'purpose', 'skip_checks', 'environments']", value=data_key, name="" + (name_prefix or "data") + "", definition={'enum': ['channel', 'contact_list_id', 'sender_id', 'contact_list', 'sender', 'body', 'template', 'scheduled_at', 'description', 'template_text', 'purpose', 'skip_checks', 'environments']}, rule='enum')
                except (JsonSchemaValueException, JsonSchemaValuesException):
                    data_property_names = False
            if not data_property_names:
                raise JsonSchemaValueException("" + (name_prefix or "data") + " must be named by propertyName definition", value=data, name="" + (name_prefix or "data") + "", definition={'type': 'object', 'propertyNames': {'enum': ['channel', 'contact_list_id', 'sender_id', 'contact_list', 'sender', 'body', 'template', 'scheduled_at', 'description', 'template_text', 'purpose', 'skip_checks', 'environments']}, '$schema': 'http://json-schema.org/draft-07/schema#'}, rule='propertyNames')
    return data