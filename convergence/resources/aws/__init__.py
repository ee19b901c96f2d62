"""The AWS resource types Heat 27 keeps (decision 31): AWS::EC2::Instance
(``ec2_instance``: a Nova server through OS::Nova::Server's code) and the
CloudFormation wait conditions (``cfn_wait_condition``, their handle's
engine-served URL in ``wait_handle_url``)."""
