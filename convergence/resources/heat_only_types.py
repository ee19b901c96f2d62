"""Heat 27's cloud resource types that this engine does not build, with the
service each needs (decision 32).

Heat's registry knows every type below, so Heat refuses one whose service
the caller's catalog lacks as ResourceTypeUnavailable (``HEAT-E99001
Service manila is not available for resource type OS::Manila::Share``),
and heat_integrationtests' ServiceBasedExposureTest checks exactly that.
We answer the same where the service is absent (the answer does not depend
on having built the type: nothing could be made there either); where the
service is present we refuse the type by name as one we do not implement
(``NotImplementedType``).  None of them is ever listed.

Heat's types of retired projects (Sahara, Senlin, Monasca, the LBaaS v1/v2
ones...) have no service in Heat 27 either; they are not here and stay
"could not be found".
"""

import dataclasses


@dataclasses.dataclass(frozen=True)
class HeatOnlyType:
    """What Heat's plugin of ``type_name`` would need: the catalog's
    ``service_type`` and Heat's ``default_client_name`` (the name its
    error gives)."""

    type_name: str
    service_type: str
    default_client_name: str


# (service type, Heat's client name) -> the types of it we do not build.
_BY_SERVICE = {
    ('compute', 'nova'): (
        'AWS::EC2::EIP', 'AWS::EC2::EIPAssociation', 'OS::Nova::Quota'),
    ('network', 'neutron'): (
        'AWS::EC2::NetworkInterface', 'AWS::EC2::RouteTable',
        'AWS::EC2::Subnet', 'AWS::EC2::SubnetRouteTableAssociation',
        'AWS::EC2::VPC', 'AWS::EC2::VPCGatewayAttachment',
        'OS::Neutron::AddressScope', 'OS::Neutron::ExtraRoute',
        'OS::Neutron::Firewall',
        'OS::Neutron::FirewallPolicy', 'OS::Neutron::FirewallRule',
        'OS::Neutron::FlowClassifier', 'OS::Neutron::IKEPolicy',
        'OS::Neutron::IPsecPolicy', 'OS::Neutron::IPsecSiteConnection',
        'OS::Neutron::L2Gateway', 'OS::Neutron::L2GatewayConnection',
        'OS::Neutron::MeteringLabel', 'OS::Neutron::MeteringRule',
        'OS::Neutron::NetworkGateway', 'OS::Neutron::PortChain',
        'OS::Neutron::PortPair', 'OS::Neutron::PortPairGroup',
        'OS::Neutron::ProviderNet', 'OS::Neutron::QoSBandwidthLimitRule',
        'OS::Neutron::QoSDscpMarkingRule',
        'OS::Neutron::QoSMinimumBandwidthRule',
        'OS::Neutron::QoSMinimumPacketRateRule', 'OS::Neutron::QoSPolicy',
        'OS::Neutron::Quota', 'OS::Neutron::RBACPolicy',
        'OS::Neutron::RouterGateway', 'OS::Neutron::Segment',
        'OS::Neutron::SubnetPool', 'OS::Neutron::TaaS::TapFlow',
        'OS::Neutron::TaaS::TapService', 'OS::Neutron::Trunk',
        'OS::Neutron::VPNService'),
    # Heat's client of this one is openstacksdk's, named so in its error.
    ('network', 'openstack'): ('OS::Neutron::FloatingIPPortForward',),
    ('volumev3', 'cinder'): (
        'AWS::EC2::Volume', 'AWS::EC2::VolumeAttachment',
        'OS::Cinder::QoSAssociation', 'OS::Cinder::QoSSpecs',
        'OS::Cinder::Quota'),
    ('object-store', 'swift'): (
        'AWS::S3::Bucket', 'OS::Heat::SwiftSignal',
        'OS::Heat::SwiftSignalHandle', 'OS::Swift::Container'),
    ('alarming', 'aodh'): (
        'OS::Aodh::Alarm', 'OS::Aodh::CombinationAlarm',
        'OS::Aodh::CompositeAlarm', 'OS::Aodh::EventAlarm',
        'OS::Aodh::GnocchiAggregationByMetricsAlarm',
        'OS::Aodh::GnocchiAggregationByResourcesAlarm',
        'OS::Aodh::GnocchiResourcesAlarm', 'OS::Aodh::LBMemberHealthAlarm',
        'OS::Aodh::PrometheusAlarm'),
    ('key-manager', 'barbican'): (
        'OS::Barbican::CertificateContainer',
        'OS::Barbican::GenericContainer', 'OS::Barbican::Order',
        'OS::Barbican::RSAContainer', 'OS::Barbican::Secret'),
    ('reservation', 'blazar'): ('OS::Blazar::Host', 'OS::Blazar::Lease'),
    ('dns', 'designate'): ('OS::Designate::RecordSet',
                           'OS::Designate::Zone'),
    ('baremetal', 'ironic'): ('OS::Ironic::Port',),
    ('container-infra', 'magnum'): (
        'OS::Magnum::BayModel', 'OS::Magnum::Cluster',
        'OS::Magnum::ClusterTemplate'),
    ('sharev2', 'manila'): (
        'OS::Manila::SecurityService', 'OS::Manila::Share',
        'OS::Manila::ShareNetwork', 'OS::Manila::ShareType'),
    ('workflowv2', 'mistral'): (
        'OS::Mistral::CronTrigger', 'OS::Mistral::ExternalResource',
        'OS::Mistral::Workflow'),
    ('load-balancer', 'octavia'): (
        'OS::Octavia::AvailabilityZone',
        'OS::Octavia::AvailabilityZoneProfile', 'OS::Octavia::Flavor',
        'OS::Octavia::FlavorProfile', 'OS::Octavia::HealthMonitor',
        'OS::Octavia::L7Policy', 'OS::Octavia::L7Rule',
        'OS::Octavia::Listener', 'OS::Octavia::LoadBalancer',
        'OS::Octavia::Pool', 'OS::Octavia::PoolMember',
        'OS::Octavia::Quota'),
    ('database', 'trove'): ('OS::Trove::Cluster', 'OS::Trove::Instance'),
    ('messaging', 'zaqar'): (
        'OS::Zaqar::MistralTrigger', 'OS::Zaqar::Queue',
        'OS::Zaqar::SignedQueueURL', 'OS::Zaqar::Subscription'),
    ('container', 'zun'): ('OS::Zun::Container',),
}

TYPES: dict[str, HeatOnlyType] = {
    type_name: HeatOnlyType(type_name, service, client)
    for (service, client), names in _BY_SERVICE.items()
    for type_name in names}


def of(type_name: str) -> HeatOnlyType | None:
    """Heat's need of a type Heat has and we do not build, else None."""
    if not isinstance(type_name, str):
        return None
    return TYPES.get(type_name)
