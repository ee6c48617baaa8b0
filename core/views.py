"""Instance settings under /api/settings/: public read, staff-only change."""

from drf_spectacular.utils import extend_schema
from rest_framework.permissions import AllowAny
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from api.schema import error_responses
from api.validation import validated_body
from core import services
from core.errors import StaffOnly
from core.selectors import instance_settings
from core.serializers import InstanceIdSerializer, InstanceSettingsSerializer

TAG = "Settings"


class SettingsView(APIView):
    authentication_classes = ()
    permission_classes = (AllowAny,)

    @extend_schema(
        tags=[TAG], operation_id="get_settings", responses={200: InstanceSettingsSerializer}
    )
    def get(self, request: Request) -> Response:
        return Response(InstanceSettingsSerializer(instance_settings()).data)


class SettingsUpdateView(APIView):
    @extend_schema(
        tags=[TAG],
        operation_id="update_settings",
        request=InstanceSettingsSerializer,
        responses={200: InstanceSettingsSerializer, **error_responses(StaffOnly)},
    )
    def patch(self, request: Request) -> Response:
        services.require_staff(user=request.user)
        data = validated_body(InstanceSettingsSerializer, request, partial=True)
        row = services.instance_settings_update(user=request.user, **data)
        return Response(InstanceSettingsSerializer(row).data)


class InstanceIdView(APIView):
    @extend_schema(
        tags=[TAG],
        operation_id="get_instance_id",
        responses={200: InstanceIdSerializer, **error_responses(StaffOnly)},
    )
    def get(self, request: Request) -> Response:
        services.require_staff(user=request.user)
        return Response(InstanceIdSerializer(instance_settings()).data)
